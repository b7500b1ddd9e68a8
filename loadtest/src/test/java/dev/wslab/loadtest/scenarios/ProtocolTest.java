package dev.wslab.loadtest.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProtocolTest {
    @Test
    void fourHundredUsersComeFromOneLoopbackAddress() {
        assertThat(Protocol.sourceAddresses("http://127.0.0.1:8080", 400)).containsExactly("127.0.0.1");
    }

    @Test
    void everyFurtherFourHundredUsersGetTheNextLoopbackAddress() {
        assertThat(Protocol.sourceAddresses("http://127.0.0.1:8080", 401)).containsExactly("127.0.0.1", "127.0.0.2");
        assertThat(Protocol.sourceAddresses("http://127.0.0.1:8081", 5000)).hasSize(13).endsWith("127.0.0.13");
    }

    @Test
    void aTargetOffTheLoopbackAddressKeepsTheSystemsChoiceOfSource() {
        assertThat(Protocol.sourceAddresses("http://[::1]:8080", 5000)).isEmpty();
        assertThat(Protocol.sourceAddresses("http://node-1:8080", 5000)).isEmpty();
    }
}
