package dev.wslab.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetsTest {
    @Test
    void aTargetsLogAndRecordingAreNamedInPlainLowerCaseWords() {
        assertThat(Targets.fileName("Node.js peer ×1 1")).isEqualTo("node-js-peer-x1-1");
        assertThat(Targets.fileName("floor (bare Undertow) 1")).isEqualTo("floor-bare-undertow-1");
        assertThat(Targets.fileName("nodes ×3 via HAProxy")).isEqualTo("nodes-x3-via-haproxy");
    }
}
