package dev.wslab.server.broker;

import dev.wslab.server.state.LocalRoomState;
import java.time.Clock;

class LocalBrokerTest extends BrokerContract {
    @Override
    protected Broker create(Broker.Listener listener) {
        return new LocalBroker("node-a", new LocalRoomState(100), listener, Clock.systemUTC());
    }
}
