/**
 * The most commonly chosen PINs of 4 to 8 digits, refused under PINComplexity Strict
 * (UMPIN_PIN_COMMON). Data only, so the rule runs offline and a test can read every entry.
 *
 * Sources — a list compiled by hand from the top choices these publications report in their
 * tables and text; the entries were transcribed, not recomputed from any data set, and the
 * ranks and frequencies are left out:
 * - Nick Berry, "PIN analysis", DataGenetics blog, September 2012
 *   (datagenetics.com/blog/september32012): 3.4 million 4-digit codes from leaked password
 *   lists; its tables of the most popular 4-digit codes and of the most popular longer
 *   numeric codes (5 to 8 digits).
 * - Philipp Markert, Daniel V. Bailey, Maximilian Golla, Markus Dürmuth, Adam J. Aviv,
 *   "This PIN Can Be Easily Guessed: Analyzing the Security of Smartphone Unlock PINs",
 *   IEEE Symposium on Security and Privacy 2020: the most frequent 4- and 6-digit PINs of
 *   its user study and of the leaked sets it compares with.
 * - Ding Wang, Qianchen Gu, Xinyi Huang, Ping Wang, "Understanding Human-chosen PINs:
 *   Characteristics, Distribution and Security", ACM AsiaCCS 2017: the most frequent 6-digit
 *   PINs of its Chinese and English data sets, with the 7-digit Chinese "love" numbers it
 *   discusses.
 *
 * Checked against secondary reports of DataGenetics' figures where those were at hand (1234,
 * 1111, 0000, 1212 and 7777 first; 2580 at rank 22; 8675309 fourth among 7-digit codes). An
 * entry found to differ from its source is a data fix here, and needs no code change.
 *
 * Many of these are refused by another Strict rule as well (a repeated group, a keypad line,
 * a year); they stay here so the list can be compared with its sources as it stands.
 */
export const COMMON_PINS: readonly string[] = [
  // 4 digits: DataGenetics' twenty most popular
  '1234',
  '1111',
  '0000',
  '1212',
  '7777',
  '1004',
  '2000',
  '4444',
  '2222',
  '6969',
  '9999',
  '3333',
  '5555',
  '6666',
  '1122',
  '1313',
  '8888',
  '4321',
  '2001',
  '1010',
  // 4 digits: the keypad and word choices Markert et al. report among their most frequent
  '2580',
  '0852',
  '5683',
  '1998',
  // 5 digits: DataGenetics
  '12345',
  '11111',
  '55555',
  '00000',
  '54321',
  '13579',
  '77777',
  '22222',
  '12321',
  '99999',
  // 6 digits: DataGenetics, Markert et al., Wang et al.
  '123456',
  '654321',
  '111111',
  '000000',
  '123123',
  '666666',
  '121212',
  '112233',
  '789456',
  '159753',
  '888888',
  '123321',
  '520520',
  '147258',
  '159357',
  '131313',
  // 7 digits: DataGenetics, Wang et al.
  '1234567',
  '7777777',
  '1111111',
  '8675309',
  '1234321',
  '0000000',
  '7654321',
  '5555555',
  '0123456',
  '5201314',
  '7758521',
  '1314520',
  // 8 digits: DataGenetics
  '12345678',
  '11111111',
  '88888888',
  '87654321',
  '00000000',
  '12341234',
  '69696969',
  '12121212',
  '11223344',
  '12344321',
];

const SET: ReadonlySet<string> = new Set(COMMON_PINS);

export function isCommonPin(pin: string): boolean {
  return SET.has(pin);
}
