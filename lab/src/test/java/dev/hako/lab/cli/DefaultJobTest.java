package dev.hako.lab.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** README's main job is the seed's A/B, push against mailbox2, and it parses on this build. */
class DefaultJobTest {
    @Test
    void defaultJobIsTheSmallSeedAb() {
        List<String> args = new ArrayList<>(List.of(HakoCli.defaultJob()));
        assertEquals("ab", args.getFirst());
        args.add("--dry-run");
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            CommandLine cl = new CommandLine(new HakoCli());
            cl.setErr(new PrintWriter(err, true));
            code = cl.execute(args.toArray(String[]::new));
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code, err.toString());
        List<String> jvms = out.toString(StandardCharsets.UTF_8).lines().toList();
        // T=32 x R=0,90: 4 timed x 2 sides + 2 counter runs each, then 2 JFR runs at R=90
        assertEquals(22, jvms.size(), String.join("\n", jvms));
        assertTrue(jvms.get(0).contains("-Dhako.remote=push") && jvms.get(0).contains("bench 32 100000 "), jvms.get(0));
        assertTrue(jvms.get(1).contains("-Dhako.remote=mailbox2"), jvms.get(1));
    }
}
