package dev.wslab.loadtest.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvariantsTest {
    private static RunRecord run(String configuration, String wslabJson) throws Exception {
        GatlingRun.Result result = new GatlingRun.Result(0, 1, 2, 10, 10, 0,
                wslabJson == null ? null : new ObjectMapper().readTree(wslabJson), null, null);
        return new RunRecord("rooms", configuration, 1, 1, result, Map.of(), Map.of(), null);
    }

    private static final String CLEAN = "{\"messagesLost\":0,\"duplicates\":0,\"seqGaps\":0,\"seqRepeats\":0}";

    @Test
    void aCleanRunWithTheBusBreaksNothing() throws Exception {
        assertThat(CompareMain.invariantsBroken(List.of(run("sticky", CLEAN)))).isEmpty();
    }

    @Test
    void aLostMessageWithTheBusBreaksTheInvariant() throws Exception {
        assertThat(CompareMain.invariantsBroken(List.of(run("sticky", CLEAN.replace("\"messagesLost\":0", "\"messagesLost\":3")))))
                .singleElement().asString().contains("messagesLost=3");
    }

    @Test
    void aMissingMeasureBreaksTheInvariantRatherThanCountingAsNoLoss() throws Exception {
        assertThat(CompareMain.invariantsBroken(List.of(run("sticky", "{\"duplicates\":0,\"seqGaps\":0,\"seqRepeats\":0}"))))
                .singleElement().asString().contains("messagesLost not recorded");
        assertThat(CompareMain.invariantsBroken(List.of(run("roundrobin", null)))).hasSize(4);
    }

    @Test
    void runsWithoutTheBusPromiseNothing() throws Exception {
        assertThat(CompareMain.invariantsBroken(List.of(run("nobus", "{\"messagesLost\":40}")))).isEmpty();
    }
}
