package dev.fanout.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.failure.LeaseLostException;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.metadata.Transactions;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The one lease every kind of work takes, against each metadata database Fanout runs on. */
class LeaseStoreTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  @TempDir Path tmp;

  private interface Body {
    void run(LeaseStore leases, Transactions tx) throws Exception;
  }

  private void on(Kind kind, Body body) throws Exception {
    try (TestDatabase db = TestDatabase.create(kind, tmp);
        MetadataDatabase metadata = MetadataDatabase.open(db.url(), db.user(), db.password())) {
      Transactions tx = new Transactions(metadata);
      body.run(new LeaseStore(tx), tx);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aSecondHolderIsRefusedWhileTheFirstHoldsTheLease(Kind kind) throws Exception {
    on(kind, (leases, tx) -> {
      Lease first = leases.tryAcquire("import/sales.orders", "a", MINUTE, h -> false).orElseThrow();
      assertThat(leases.tryAcquire("import/sales.orders", "b", MINUTE, h -> false)).isEmpty();
      assertThat(leases.holder("import/sales.orders")).map(LeaseStore.Holder::holder).contains("a");
      // another table's lease is another lease
      assertThat(leases.tryAcquire("import/sales.customers", "b", MINUTE, h -> false)).isPresent();
      leases.release(first);
      assertThat(leases.tryAcquire("import/sales.orders", "b", MINUTE, h -> false)).isPresent();
    });
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aLeaseThatRanOutOnTheDatabaseClockIsTakenOverAndItsOldHolderCanNeitherRenewNorCommit(Kind kind)
      throws Exception {
    on(kind, (leases, tx) -> {
      Lease stalled = leases.tryAcquire("mirror/sales.orders/b", "a", Duration.ofMillis(300), h -> false).orElseThrow();
      Thread.sleep(700);
      Lease taker = leases.tryAcquire("mirror/sales.orders/b", "b", MINUTE, h -> false).orElseThrow();

      assertThat(taker.epoch()).isGreaterThan(stalled.epoch());
      assertThat(leases.renew(stalled, MINUTE)).isFalse();
      assertThatThrownBy(() -> tx.run("committing", c -> {
        leases.checkHeld(c, stalled, "The sync of sales.orders to b");
        return null;
      })).isInstanceOf(LeaseLostException.class).hasMessageContaining("lost its lease").hasMessageContaining("held by b");
      tx.run("committing", c -> {
        leases.checkHeld(c, taker, "The sync of sales.orders to b");
        return null;
      });
      assertThat(leases.renew(taker, MINUTE)).isTrue();
    });
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = "H2")
  void aHolderKnownToBeDeadIsTakenOverAtOnce(Kind kind) throws Exception {
    on(kind, (leases, tx) -> {
      leases.tryAcquire("copy-job/7", "12345@gone/abc", MINUTE, h -> false).orElseThrow();
      Optional<Lease> taken = leases.tryAcquire("copy-job/7", "b", MINUTE, "12345@gone/abc"::equals);
      assertThat(taken).map(Lease::epoch).contains(2L);
    });
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"H2", "POSTGRES"})
  void aHolderWhoseLeaseWasTakenLearnsItFromItsHeartbeatAndCommitsNothing(Kind kind) throws Exception {
    on(kind, (leases, tx) -> {
      AtomicBoolean told = new AtomicBoolean();
      try (HeldLease held = HeldLease.acquire(leases, "import/sales.orders", Duration.ofMillis(600),
          "The import of sales.orders", () -> told.set(true))) {
        held.ensureHeld();
        // a second process judged the holder dead (as after a stall past its lease) and took over
        leases.tryAcquire("import/sales.orders", "b", MINUTE, h -> true).orElseThrow();
        for (int i = 0; i < 50 && !held.lost(); i++) {
          Thread.sleep(50);
        }
        assertThat(held.lost()).isTrue();
        assertThat(told).isTrue();
        assertThatThrownBy(held::ensureHeld).isInstanceOf(LeaseLostException.class)
            .hasMessageStartingWith("The import of sales.orders lost its lease");
        assertThatThrownBy(() -> tx.run("recording", c -> {
          held.checkHeld(c);
          return null;
        })).isInstanceOf(LeaseLostException.class);
      }
      // closing a lost lease does not release the new holder's
      assertThat(leases.holder("import/sales.orders")).map(LeaseStore.Holder::holder).contains("b");
    });
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aRemoteRefusesAWriteFencedWithAnOlderEpochThanOneItHasSeen(Kind kind) throws Exception {
    on(kind, (leases, tx) -> {
      tx.run("publishing", c -> {
        LeaseStore.fence(c, "copy/a/sales.orders", 3, "Copy job 1");
        return null;
      });
      tx.run("publishing again", c -> {
        LeaseStore.fence(c, "copy/a/sales.orders", 3, "Copy job 1");
        return null;
      });
      assertThatThrownBy(() -> tx.run("publishing late", c -> {
        LeaseStore.fence(c, "copy/a/sales.orders", 2, "Copy job 1");
        return null;
      })).isInstanceOf(LeaseLostException.class).hasMessageContaining("epoch 3");
    });
  }
}
