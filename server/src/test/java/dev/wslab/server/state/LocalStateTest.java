package dev.wslab.server.state;

import org.junit.jupiter.api.Nested;

/** The in-memory shared state (one node on its own), held to the same contracts as Redis. */
class LocalStateTest {
    @Nested
    class Members extends MemberCountsContract {
        private final LocalMemberCounts counts = new LocalMemberCounts();

        @Override
        protected MemberCounts counts(String nodeId) {
            return counts;
        }
    }

    @Nested
    class Cluster extends ClusterRegistryContract {
        @Override
        protected ClusterRegistry registry() {
            return new LocalClusterRegistry();
        }
    }

    @Nested
    class Sessions extends SessionDirectoryContract {
        @Override
        protected SessionDirectory directory() {
            return new LocalSessionDirectory();
        }
    }
}
