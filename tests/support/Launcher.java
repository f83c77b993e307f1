// An embedded Neo4j 5 community server with its Bolt connector, for the test suite.
//
//   NEO4J_TEST_PASSWORD=... java -Xmx1g -cp '.cache/neo4j-5.26.30/*' tests/support/Launcher.java HOME PORT
//
// Run from source (Java 11+ single-file launch, no build step) by tests/support/neo4j_server.py,
// which resolves the class path with Maven (tests/support/pom.xml). The database files live in
// HOME; Bolt listens on 127.0.0.1:PORT with authentication on: user neo4j, the password from
// NEO4J_TEST_PASSWORD (an environment variable, so it never shows in a process list). SIGTERM
// (or Ctrl-C) shuts the database down cleanly; started again on the same HOME after a crash,
// Neo4j recovers from its transaction log.

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

public class Launcher {
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: Launcher HOME PORT (password in NEO4J_TEST_PASSWORD)");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String password = System.getenv("NEO4J_TEST_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("NEO4J_TEST_PASSWORD must hold a password of 8 or more characters");
            System.exit(2);
        }
        DatabaseManagementService service;
        try {
            service = build(home, port);
        } catch (RuntimeException error) {
            // The whole trace is in HOME/logs/debug.log; say why in one line.
            StringBuilder reason = new StringBuilder("neo4j failed to start:");
            for (Throwable cause = error; cause != null; cause = cause.getCause()) {
                reason.append(" ").append(cause.getMessage()).append(";");
            }
            System.err.println(reason);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(service::shutdown, "neo4j-shutdown"));
        if ("1".equals(System.getenv("NEO4J_TEST_WATCH_STDIN"))) {
            watchParent();
        }
        setPassword(service, password);
        System.out.println("neo4j ready on bolt://127.0.0.1:" + port);
        System.out.flush();
        new CountDownLatch(1).await(); // until SIGTERM runs the shutdown hook
    }

    private static DatabaseManagementService build(Path home, int port) {
        return new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // Modest memory: the machine running the tests is shared.
                .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
                // A test database needs no history: keep only the current transaction log.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .build();
    }

    // Stop (cleanly, through the shutdown hook) when stdin closes: the Python process that
    // started this one holds its other end, so even a SIGKILL of that process leaves no
    // orphaned database behind.
    private static void watchParent() {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // nothing is sent; only the end of the stream matters
                }
            } catch (java.io.IOException error) {
                // a broken pipe is an end too
            }
            System.exit(0);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    // The built-in user's password; the embedded API reaches the system database without
    // authentication. A restart on the same HOME finds it set already.
    private static void setPassword(DatabaseManagementService service, String password) {
        try {
            service.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException error) {
            String message = String.valueOf(error.getMessage());
            if (!message.contains("Old password and new password cannot be the same")) {
                throw error;
            }
        }
    }
}
