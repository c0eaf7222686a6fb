package dev.cdc.generator;

import dev.cdc.generator.schema.DecimalMode;

/** Test support: the runs several test classes share (cached by {@link GeneratedRun#of}). */
final class Runs {

    static final long SEED = 424_242L;

    private Runs() {
    }

    /**
     * Every scenario (schema, XML, malformed bodies, late duplicates) then random changes, at the max rate: long
     * enough in precise mode for rows to be updated, deleted and re-sent late many times.
     */
    static GeneratorConfig allScenarios(DecimalMode mode) {
        return GeneratorConfig.builder()
                .seed(SEED)
                .rate(Rate.MAX)
                .decimalMode(mode)
                .scenarios(Scenario.parseList("all"))
                .events(mode == DecimalMode.PRECISE ? 15_000L : 8_000L)
                .build();
    }

    static GeneratedRun allScenariosRun(DecimalMode mode) {
        return GeneratedRun.of(allScenarios(mode));
    }
}
