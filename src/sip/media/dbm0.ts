/**
 * Signal levels in dBm0 on the 16-bit linear scale. The reference is G.711's μ-law digital
 * milliwatt: a full-scale sine (peak 32768) is +3.14 dBm0, so a 0 dBm0 sine has a peak of
 * 32768 × 10^(−3.14/20) ≈ 22 799 (RMS ≈ 16 121). A-law's full-scale sine is +3.17 dBm0; the
 * 0.03 dB between them is ignored and the μ-law figure used for both laws.
 */
export const FULL_SCALE_SINE_DBM0 = 3.14;

/** Peak of a sine at `dbm0`, in 16-bit linear units. */
export function sinePeak(dbm0: number): number {
  return 32768 * 10 ** ((dbm0 - FULL_SCALE_SINE_DBM0) / 20);
}

/** Mean square (power per sample) of a sine at `dbm0`, in 16-bit linear units squared. */
export function sinePower(dbm0: number): number {
  const peak = sinePeak(dbm0);
  return (peak * peak) / 2;
}

/** The level in dBm0 of a signal whose mean square is `power` (16-bit linear units squared). */
export function powerToDbm0(power: number): number {
  return 10 * Math.log10(power / sinePower(0));
}
