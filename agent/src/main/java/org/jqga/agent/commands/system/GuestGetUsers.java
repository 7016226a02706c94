package org.jqga.agent.commands.system;

import com.google.gson.annotations.SerializedName;
import com.google.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.FileFailure;
import org.jqga.agent.linux.SystemRoot;

/**
 * Who is logged in: one entry per user among the {@code USER_PROCESS} records of {@code /var/run/utmp}, with the
 * earliest login time, in order of first appearance. Like {@code getutxent}, a missing or unreadable file means
 * nobody. Records are glibc's 384-byte {@code struct utmp} (the layout of every 64-bit Linux ABI, where
 * {@code ut_tv} stays two 32-bit fields, and of i386/arm).
 */
final class GuestGetUsers implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC = CommandSpec.of("guest-get-users", NoArguments.class);
    static final String UTMP = "/var/run/utmp";
    static final int RECORD = 384;
    private static final int USER_PROCESS = 7;
    private static final int UT_USER = 44;
    private static final int UT_TV = 340;

    /** {@code GuestUser}; {@code domain} is never set on Linux. */
    record User(String user, @SerializedName("login-time") double loginTime, String domain) {
    }

    private final SystemRoot root;

    @Inject
    GuestGetUsers(SystemRoot root) {
        this.root = root;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) {
        byte[] utmp;
        try {
            utmp = root.readBytes(UTMP);
        } catch (FileFailure e) {
            return List.of();
        }
        ByteBuffer b = ByteBuffer.wrap(utmp).order(ByteOrder.nativeOrder());
        Map<String, Double> earliest = new LinkedHashMap<>();
        for (int at = 0; at + RECORD <= utmp.length; at += RECORD) {
            if (b.getShort(at) != USER_PROCESS) {
                continue;
            }
            String user = cString(utmp, at + UT_USER, at + RECORD);
            double seconds = b.getInt(at + UT_TV);
            double micros = b.getInt(at + UT_TV + 4);
            double login = seconds + micros / 1_000_000;
            earliest.merge(user, login, Math::min);
        }
        List<User> users = new ArrayList<>();
        earliest.forEach((user, login) -> users.add(new User(user, login, null)));
        return users;
    }

    /** Up to the first NUL; like the C code's strdup, a full 32-byte ut_user runs on into ut_host. */
    private static String cString(byte[] b, int from, int limit) {
        int end = from;
        while (end < limit && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }
}
