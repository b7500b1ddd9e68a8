package dev.wslab.server.broker;

import java.time.Clock;

class LocalBrokerTest extends BrokerContract {
    @Override
    protected Broker create(Broker.Listener listener) {
        LocalBroker broker = new LocalBroker("node-a", 100, Clock.systemUTC());
        broker.start(listener);
        return broker;
    }
}
