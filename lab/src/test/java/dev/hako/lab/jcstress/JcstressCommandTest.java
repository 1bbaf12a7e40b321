package dev.hako.lab.jcstress;

import dev.hako.lab.cli.HakoCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JcstressCommandTest {
    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "extra", "--quick --mode tough", "--mode fast", "--tests (", "--out="})
    void badArgumentsExit2WithOneLine(String args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = new CommandLine(new HakoCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(("jcstress " + args).split(" ", -1));
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().startsWith("jcstress: "), err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(out.toString().isEmpty(), out.toString());
    }

    @Test
    void fullModeByDefaultQuickForCi() {
        assertEquals(List.of("-m", "default", "-t", "^(?!.*NegativeControls).*"), parse().jcstressArgs());
        assertEquals(List.of("-m", "quick", "-t", "^(?!.*NegativeControls).*"), parse("--quick").jcstressArgs());
        assertEquals(List.of("-m", "tough", "-t", "^(?!.*NegativeControls).*(?:Parcel)", "-v"),
                parse("--mode", "tough", "--tests", "Parcel", "--jcstress-arg=-v").jcstressArgs());
    }

    @Test
    void negativeControlsOnlyWhenAsked() {
        Pattern normal = Pattern.compile(JcstressCommand.filter(false, null));
        Pattern controls = Pattern.compile(JcstressCommand.filter(true, null));
        Pattern parcel = Pattern.compile(JcstressCommand.filter(false, "Parcel"));
        String test = "dev.hako.remote.ParcelHandOffTest.SmallCopy";
        String control = "dev.hako.remote.NegativeControls.HeadBeforeLink";
        assertTrue(normal.matcher(test).find());
        assertFalse(normal.matcher(control).find());
        assertTrue(controls.matcher(control).find());
        assertFalse(controls.matcher(test).find());
        assertTrue(parcel.matcher(test).find());
        assertFalse(parcel.matcher("dev.hako.owner.OwnerSlotTest.HandOver").find());
    }

    private static JcstressCommand parse(String... args) {
        JcstressCommand command = new JcstressCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
