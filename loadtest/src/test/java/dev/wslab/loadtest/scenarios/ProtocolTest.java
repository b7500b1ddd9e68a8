package dev.wslab.loadtest.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProtocolTest {
    @Test
    void aThousandUsersComeFromOneLoopbackAddress() {
        assertThat(Protocol.sourceAddresses("http://127.0.0.1:8080", 1000)).containsExactly("127.0.0.1");
    }

    @Test
    void everyFurtherThousandUsersGetsTheNextLoopbackAddress() {
        assertThat(Protocol.sourceAddresses("http://127.0.0.1:8080", 1001)).containsExactly("127.0.0.1", "127.0.0.2");
        assertThat(Protocol.sourceAddresses("http://127.0.0.1:8081", 5000))
                .containsExactly("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5");
    }

    @Test
    void aTargetOffTheLoopbackAddressKeepsTheSystemsChoiceOfSource() {
        assertThat(Protocol.sourceAddresses("http://[::1]:8080", 5000)).isEmpty();
        assertThat(Protocol.sourceAddresses("http://node-1:8080", 5000)).isEmpty();
    }
}
