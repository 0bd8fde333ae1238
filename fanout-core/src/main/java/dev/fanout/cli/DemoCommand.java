package dev.fanout.cli;

import dev.fanout.instance.Remotes;
import dev.fanout.instance.Instance;
import dev.fanout.config.FanoutHome;
import dev.fanout.demo.DemoSource;
import dev.fanout.imports.Importer;
import dev.fanout.imports.TableRegistration;
import dev.fanout.metadata.EtlMode;
import dev.fanout.metadata.ImportStatistics;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.ImportType;
import dev.fanout.metadata.IncrMode;
import dev.fanout.metadata.SourceConnection;
import dev.fanout.metadata.TableName;
import dev.fanout.security.Credentials;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "demo", description = "Set up an embedded demo source and instance, and import every table.")
final class DemoCommand implements Callable<Integer> {
  private static final String CONNECTION = "demo_shop";

  @ParentCommand FanoutCommand root;

  @Override
  public Integer call() {
    FanoutHome home = root.home();
    if (!home.isInitialized()) {
      int rc = Main.run("--home", home.dir().toString(), "init");
      if (rc != 0) {
        return rc;
      }
    }
    DemoSource source = new DemoSource(home.dir().resolve("demo-source"));
    System.out.println(source.prepare()
        ? "Created the demo source (H2, schema SHOP: products, customers, orders, payments)."
        : "Added new orders to the demo source.");
    try (Instance instance = Instance.open(home); Remotes remotes = new Remotes(instance);
        CommandEvents events = CommandEvents.open(instance)) {
      if (instance.connections().find(CONNECTION).isEmpty()) {
        instance.connections().add(new SourceConnection(CONNECTION, source.jdbcUrl(),
            new Credentials("sa", "").seal(instance.cipher()), 2));
      }
      List<ImportTable> tables = List.of(
          table("shop.products", "PRODUCTS").etlMode(EtlMode.MERGE).build(),
          table("shop.customers", "CUSTOMERS").sessions(2).build(),
          table("shop.orders", "ORDERS").importType(ImportType.INCR).incrMode(IncrMode.APPEND).incrColumn("ID")
              .etlMode(EtlMode.INSERT).sessions(2).build(),
          table("shop.payments", "PAYMENTS").sessions(2).build());
      TableRegistration registration = new TableRegistration(instance);
      for (ImportTable t : tables) {
        if (instance.tables().find(t.target()).isEmpty()) {
          registration.register(t);
        }
      }
      List<ImportStatistics> results = new java.util.ArrayList<>();
      for (ImportTable t : tables) {
        results.add(new Importer(instance, remotes, events.listener()).run(t.target()).statistics());
      }
      System.out.printf("%n%-16s %-22s %10s %10s %10s  %s%n", "table", "mode", "read", "loaded", "in lake", "iceberg table");
      for (int i = 0; i < tables.size(); i++) {
        ImportTable t = tables.get(i);
        ImportStatistics s = results.get(i);
        String location = instance.catalog().require(t.target()).location();
        String mode = t.importType().code() + (t.isIncremental() ? "/" + t.incrMode().code() : "") + ", " + t.etlMode().code();
        System.out.printf("%-16s %-22s %10d %10d %10d  %s%n", t.target(), mode, s.sourceRows(), s.loadedRows(),
            s.lakeRows(), location);
      }
      System.out.println();
      System.out.println("Iceberg catalog: JDBC catalog 'fanout' in " + dev.fanout.jdbc.JdbcUrls.redact(instance.settings().metadataUrl()));
      System.out.println("Run it again to import the new orders as an increment; 'fanout --home " + home.dir()
          + " table show shop.orders' shows the watermark.");
      return 0;
    }
  }

  private static ImportTable.Builder table(String target, String sourceTable) {
    return ImportTable.builder().target(TableName.parse(target)).connection(CONNECTION)
        .sourceSchema(DemoSource.SCHEMA).sourceTable(sourceTable);
  }
}
