package org.cnt.chain.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class AmountsTest {

    @Property
    void formatThenParseIsIdentity(@ForAll @LongRange(min = 0) long ucnt) {
        assertThat(Amounts.parse(Amounts.format(ucnt))).isEqualTo(ucnt);
    }

    @Test
    void parsesDecimalCnt() {
        assertThat(Amounts.parse("12.5")).isEqualTo(12_500_000L);
        assertThat(Amounts.parse("0.000001")).isEqualTo(1L);
        assertThat(Amounts.format(1_500_000L)).isEqualTo("1.5");
    }

    @Test
    void refusesWhatIsNotAnAmount() {
        assertThatThrownBy(() -> Amounts.parse("-1")).hasMessageContaining("negative");
        assertThatThrownBy(() -> Amounts.parse("0.0000001")).hasMessageContaining("6 decimals");
        assertThatThrownBy(() -> Amounts.parse("ten")).hasMessageContaining("not an amount");
        assertThatThrownBy(() -> Amounts.parse("99999999999999999999")).hasMessageContaining("too large");
    }
}
