package dev.wslab.server.demo;

import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;

/**
 * The browser demo (a live room counter and a chat that shows which node you are on), served from
 * the jar by every node, and so through both HAProxy frontends: {@code /} and {@code /demo/*}. Plain
 * HTML and JavaScript under {@code resources/web}: nothing to build, and nothing a reader of the
 * protocol would not recognise.
 */
public final class DemoPage {
    private DemoPage() {}

    public static HttpHandler handler() {
        ResourceHandler resources = new ResourceHandler(
                new ClassPathResourceManager(DemoPage.class.getClassLoader(), "web"));
        resources.setWelcomeFiles("index.html");
        resources.setDirectoryListingEnabled(false);
        // The page changes with the jar; a stale cached script against a newer node helps nobody.
        resources.setCacheTime(0);
        return resources;
    }
}
