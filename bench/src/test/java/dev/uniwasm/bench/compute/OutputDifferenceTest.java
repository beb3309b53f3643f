package dev.uniwasm.bench.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OutputDifferenceTest {
    @Test
    void namesTheFirstLineThatDiffers() {
        assertEquals(
                "line 2 of 3: expected \"b\" but got \"x\"", ComputeSuite.firstDifference("a\nb\nc\n", "a\nx\nc\n"));
    }

    @Test
    void aTruncatedOutputSaysWhereItEnded() {
        assertEquals(
                "line 3 of 3: expected \"Verification Hash: 1 ab\" but got (end of output)",
                ComputeSuite.firstDifference("a\nb\nVerification Hash: 1 ab\n", "a\nb\n"));
    }
}
