// The Java SDK's time-skipping test server, started at a given instant. io.temporal.testserver.TestServer's
// main takes only `<port> [--enable-time-skipping]` and starts its clock at the real now; the same server
// built from its public parts (TestServicesStarter's second argument is the initial time in epoch
// milliseconds, 0 meaning now) can start on a fixed day, so tests see the calendar the day they were written for.
//
//   PinnedTestServer <port> [--initial-time=<ISO-8601 instant, e.g. 2026-03-02T01:00:00Z>] [--enable-time-skipping]
//
// Without --initial-time it is the stock server. Compiled and run by scripts/temporal-test-server.sh.
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.time.Instant;

public final class PinnedTestServer {
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("Usage: PinnedTestServer <port> [--initial-time=<ISO-8601 instant>] [--enable-time-skipping]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    long initialTimeMillis = 0;
    boolean enableTimeSkipping = false;
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--initial-time=")) {
        initialTimeMillis = Instant.parse(a.substring("--initial-time=".length())).toEpochMilli();
        if (initialTimeMillis <= 0) throw new IllegalArgumentException("--initial-time must be after 1970: " + a);
      } else if (a.equalsIgnoreCase("--enable-time-skipping")) {
        enableTimeSkipping = true;
      } else {
        throw new IllegalArgumentException("unknown flag " + a);
      }
    }
    // as TestServer.createPortBoundServer, with the initial time: time skipping locked until a client unlocks it
    TestServicesStarter services = new TestServicesStarter(!enableTimeSkipping, initialTimeMillis);
    ServerBuilder<?> builder = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server = builder.build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdown();
      services.close();
    }));
    server.awaitTermination();
  }
}
