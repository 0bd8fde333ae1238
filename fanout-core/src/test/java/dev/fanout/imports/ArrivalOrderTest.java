package dev.fanout.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.imports.ArrivalOrder.Decision;
import dev.fanout.imports.ArrivalOrder.Verdict;
import dev.fanout.metadata.ImportType;
import dev.fanout.metadata.StagedImport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order in which a copy_slave loads what was copied to it, whatever order it arrived in. */
class ArrivalOrderTest {
  private static final String MONDAY = "20261130T020000000Z-aaaaaa";
  private static final String TUESDAY = "20261201T020000000Z-bbbbbb";
  private static final String WEDNESDAY = "20261202T020000000Z-cccccc";

  private static StagedImport full(String id) {
    return new StagedImport(id, 1, "/staging/" + id, StagedImport.State.STAGED, ImportType.FULL, null, null, 2, 2, 10,
        Instant.EPOCH);
  }

  private static StagedImport increment(String id, String from, String to) {
    return new StagedImport(id, 1, "/staging/" + id, StagedImport.State.STAGED, ImportType.INCR, from, to, 2, 2, 10,
        Instant.EPOCH);
  }

  private static List<String> verdicts(List<Decision> decisions) {
    return decisions.stream().map(d -> d.staged().importId().substring(0, 8) + " " + d.verdict()).toList();
  }

  @Test
  void aFullImportThatArrivesAfterANewerOneWasLoadedIsSuperseded() {
    List<Decision> d = ArrivalOrder.decide(TUESDAY, null, List.of(full(MONDAY)));

    assertThat(d).singleElement().satisfies(one -> {
      assertThat(one.verdict()).isEqualTo(Verdict.SUPERSEDED);
      assertThat(one.reason()).isEqualTo("the newer full import " + TUESDAY + " replaces it");
    });
  }

  @Test
  void fullImportsThatArriveOutOfOrderTogetherLoadOnlyTheNewest() {
    List<Decision> d = ArrivalOrder.decide(null, null, List.of(full(WEDNESDAY), full(MONDAY), full(TUESDAY)));

    assertThat(verdicts(d)).containsExactly("20261130 SUPERSEDED", "20261201 SUPERSEDED", "20261202 LOAD");
  }

  @Test
  void aTableThatKeepsHistoryLoadsEveryFullImportThatArrivedInTheMastersOrder() {
    List<Decision> d = ArrivalOrder.decide(null, null, List.of(full(WEDNESDAY), full(MONDAY), full(TUESDAY)), true);

    assertThat(verdicts(d)).containsExactly("20261130 LOAD", "20261201 LOAD", "20261202 LOAD");
  }

  @Test
  void incrementsLoadInTheMastersOrderWhateverOrderTheyArrivedIn() {
    List<Decision> d = ArrivalOrder.decide(MONDAY, "10", List.of(increment(WEDNESDAY, "20", "30"),
        increment(TUESDAY, "10", "20")));

    assertThat(verdicts(d)).containsExactly("20261201 LOAD", "20261202 LOAD");
  }

  @Test
  void anIncrementWhosePredecessorHasNotArrivedIsHeldWithEverythingAfterIt() {
    List<Decision> d = ArrivalOrder.decide(MONDAY, "10", List.of(increment(WEDNESDAY, "20", "30"),
        full("20261203T020000000Z-dddddd")));

    assertThat(verdicts(d)).containsExactly("20261202 HOLD", "20261203 HOLD");
    assertThat(d.get(0).reason()).isEqualTo("it starts at watermark 20 but this instance has loaded up to 10, so it"
        + " waits for the increment before it");
  }

  @Test
  void theFirstImportCopiedToANewInstanceLoadsWhereverItStarts() {
    List<Decision> d = ArrivalOrder.decide(null, null, List.of(increment(TUESDAY, "10", "20")));

    assertThat(verdicts(d)).containsExactly("20261201 LOAD");
  }

  @Test
  void anIncrementAfterAFullImportContinuesFromTheFullImportsWatermark() {
    StagedImport reload = new StagedImport(TUESDAY, 1, "/s", StagedImport.State.STAGED, ImportType.FULL, null, "20",
        2, 2, 10, Instant.EPOCH);

    List<Decision> d = ArrivalOrder.decide(MONDAY, "10", List.of(increment(WEDNESDAY, "20", "30"), reload));

    assertThat(verdicts(d)).containsExactly("20261201 LOAD", "20261202 LOAD");
  }
}
