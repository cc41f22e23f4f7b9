package io.flowrecon.devstack.keys;

import io.flowrecon.shared.auth.ApiKeyStore;
import io.flowrecon.shared.auth.ApiKeyStore.KeyInfo;
import io.flowrecon.shared.auth.ApiKeyStore.NewKey;
import io.flowrecon.shared.cli.CommandLines;
import io.flowrecon.shared.cli.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code ./flowrecon keys create|revoke|list}: API keys in the database the API uses (FLOWRECON_DB_*, by default
 * the local stack's). {@code create} prints the key alone on standard output, so that
 * {@code KEY=$(./flowrecon keys create --owner alice)} works; what to do with it goes to standard error.
 */
@Command(name = "flowrecon keys", synopsisSubcommandLabel = "COMMAND",
        description = "API keys: the API answers /api/* only to 'Authorization: Bearer <key>'. The database is the"
                + " API's: FLOWRECON_DB_URL, _USER, _PASSWORD (default the local stack's, localhost:15432).",
        subcommands = {KeysCommand.Create.class, KeysCommand.Revoke.class, KeysCommand.ListKeys.class})
public final class KeysCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;

    private final KeyDatabase database;
    private final ApiKeyStore store = new ApiKeyStore();

    KeysCommand(KeyDatabase database) {
        this.database = database;
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.getenv(), System.out, System.err));
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        return CommandLines.create(new KeysCommand(KeyDatabase.fromEnvironment(env)), out, err)
                .execute(args.toArray(String[]::new));
    }

    @Override
    public Integer call() {
        throw CommandLines.usageError(spec, "a command is required: " + String.join(", ", spec.subcommands().keySet()));
    }

    /** Runs {@code work} on one connection, turning database errors into messages. */
    private <T> T withDatabase(SqlWork<T> work) {
        try (Connection connection = database.connect()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw database.explain(e);
        }
    }

    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    @Command(name = "create", description = "Create a key for an owner and print it (shown only this once).")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;
        @Spec
        CommandSpec spec;
        @Mixin
        HelpOption help;
        @Option(names = "--owner", required = true, paramLabel = "NAME",
                description = "Whose jobs, image sets and experiments the key reads and writes (1 to 200 characters).")
        String owner;
        @Option(names = "--admin", description = "The key may also list other owners' rows (?owner=NAME).")
        boolean admin;
        @Option(names = "--label", paramLabel = "TEXT", description = "A note shown by 'keys list', e.g. where the key is used.")
        String label;

        @Override
        public Integer call() {
            NewKey created = keys.withDatabase(c -> keys.store.create(c, owner, admin, label));
            spec.commandLine().getOut().println(created.key());
            PrintWriter err = spec.commandLine().getErr();
            err.println("created key " + created.info().id() + " for owner '" + owner + "'" + (admin ? " (admin)" : "")
                    + "; it is shown only now. Use it as: curl -H 'Authorization: Bearer <key>' ...");
            err.flush();
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke keys by id (as 'keys list' shows) or every key of an owner.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;
        @Spec
        CommandSpec spec;
        @Mixin
        HelpOption help;
        @Parameters(paramLabel = "ID", arity = "0..*", description = "Key ids to revoke.")
        List<String> ids = List.of();
        @Option(names = "--owner", paramLabel = "NAME", description = "Revoke every active key of this owner.")
        String owner;

        @Override
        public Integer call() {
            if (ids.isEmpty() == (owner == null)) {
                throw CommandLines.usageError(spec, "name key ids or --owner NAME (one of the two)");
            }
            List<UUID> parsed = ids.stream().map(id -> parse(spec, id)).toList();
            int revoked = keys.withDatabase(c -> {
                if (owner != null) {
                    return keys.store.revokeOwner(c, owner);
                }
                int n = 0;
                for (UUID id : parsed) {
                    n += keys.store.revoke(c, id) ? 1 : 0;
                }
                return n;
            });
            String missed = owner != null ? (revoked == 0 ? "; owner '" + owner + "' has no active key" : "")
                    : (revoked < parsed.size() ? "; " + (parsed.size() - revoked) + " unknown or already revoked" : "");
            spec.commandLine().getOut().println("revoked " + revoked + " key(s)" + missed);
            return revoked == 0 ? 1 : 0;
        }

        private static UUID parse(CommandSpec spec, String id) {
            try {
                return UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                throw CommandLines.usageError(spec, "ID: '" + id + "' is not a key id (a UUID, as 'keys list' shows)");
            }
        }
    }

    private static String seconds(java.time.Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    @Command(name = "list", description = "List keys (never the keys themselves: only their first characters).")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;
        @Spec
        CommandSpec spec;
        @Mixin
        HelpOption help;
        @Option(names = "--all", description = "Include revoked keys.")
        boolean all;

        @Override
        public Integer call() {
            List<KeyInfo> listed = keys.withDatabase(c -> keys.store.list(c, all));
            PrintWriter out = spec.commandLine().getOut();
            String row = "%-36s  %-24s  %-5s  %-12s  %-19s  %-19s  %s%n";
            out.printf(row, "id", "owner", "admin", "key", "created", "revoked", "label");
            for (KeyInfo key : listed) {
                out.printf(row, key.id(), key.owner(), key.admin() ? "yes" : "no", key.shown() + "...",
                        seconds(key.createdAt()), key.revoked() ? seconds(key.revokedAt()) : "-",
                        key.label() == null ? "" : key.label());
            }
            out.flush();
            return 0;
        }
    }
}
