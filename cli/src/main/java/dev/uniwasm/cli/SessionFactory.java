package dev.uniwasm.cli;

import picocli.CommandLine;

/** Gives every command object the session it runs in. */
final class SessionFactory implements CommandLine.IFactory {
    private final Session session;
    private final CommandLine.IFactory defaults = CommandLine.defaultFactory();

    SessionFactory(Session session) {
        this.session = session;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        K made = defaults.create(cls);
        if (made instanceof SessionAware aware) aware.session(session);
        return made;
    }

    interface SessionAware {
        void session(Session session);
    }
}
