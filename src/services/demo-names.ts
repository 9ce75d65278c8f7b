/**
 * Names for the synthetic demo organisation: person number i → a display name, alias and
 * language, the same every time (so a second run finds what the first made) and unique
 * for every i. About 15 in 100 are Taiwanese names with zh-TW as their language.
 */

const FIRST =
  `James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph Jessica
Thomas Sarah Christopher Karen Charles Lisa Daniel Nancy Matthew Betty Anthony Sandra Mark Margaret Donald Ashley Steven Kimberly
Andrew Emily Paul Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa George Deborah Timothy Stephanie Ronald Dorothy
Jason Rebecca Edward Sharon Jeffrey Laura Ryan Cynthia Jacob Amy Gary Kathleen Nicholas Angela Eric Shirley Jonathan Brenda
Stephen Emma Larry Anna Justin Pamela Scott Nicole Brandon Samantha Benjamin Katherine Samuel Christine Gregory Helen Alexander
Debra Patrick Rachel Frank Carolyn Raymond Janet Jack Maria Dennis Catherine Jerry Heather Tyler Diane Aaron Olivia Jose Julie
Adam Joyce Nathan Victoria Henry Ruth Zachary Virginia Douglas Lauren Peter Kelly Kyle Christina Noah Joan Ethan Evelyn Jeremy
Judith Christian Andrea Walter Hannah Keith Megan Austin Cheryl Roger Jacqueline Terry Martha Sean Madison Gerald Teresa Carl
Gloria Dylan Sara Harold Janice Jordan Ann Jesse Kathryn Bryan Abigail Lawrence Sophia Arthur Frances Gabriel Jean Bruce Alice
Logan Judy Billy Isabella Joe Julia Alan Grace Juan Amber Elijah Denise Willie Danielle Albert Marilyn Wayne Beverly Randy
Charlotte Mason Natalie Vincent Theresa Liam Diana Roy Brittany Bobby Doris Caleb Kayla Bradley Alexis Russell Lori Lucas Marie`.split(
    /\s+/,
  );

const LAST =
  `Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas
Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright
Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner
Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey
Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez
Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes
Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole
Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald
Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon
Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren
Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins
Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley
Andrews Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews Pena Richards Willis Carpenter Lawrence Sandoval`.split(
    /\s+/,
  );

// Taiwanese given names are two syllables ("Chih-Hao"), family names one, romanised as on Taiwan's
// passports; the display name puts the family name first ("Lin Chih-Hao"), the alias after ("chih-hao.lin")
const SYLLABLE =
  `Chih Hao Yu Ting Mei Lin Wei Chen Chia Hui Hsin Yi Ming Jung Shu Fen Kuo Hua Tzu Han Pei Ling Chun Hung
Wen Hsiang Cheng Chieh Ya Ju Chien Kai Po Yen Tsung Hsuan Li Yun Fang Chung`.split(/\s+/);
const FAMILY =
  `Chen Lin Huang Chang Li Wang Wu Liu Tsai Yang Hsu Cheng Hsieh Kuo Hung Tseng Chiu Liao Lai Chou Yeh Su Chuang Lu
Chiang Ho Lo Kao Hsiao Pan Chien Chu Peng Yu Tu Fan Shih Fu Tang Wei`.split(/\s+/);

const INITIALS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export interface SyntheticPerson {
  displayName: string;
  alias: string;
  language: string | null;
}

/** Of every 20 people, 3 are Taiwanese: the two groups interleave through the whole organisation. */
const TW_PER_20 = 3;

/**
 * A fixed odd multiplier walks every combination of a group once (it is coprime to the
 * group's size, checked below), so neighbours in number are far apart in name.
 */
function scramble(x: number, size: number): number {
  const a = 7_919 * 104_729; // two primes; their product shares no factor with the sizes here
  return Number((BigInt(x) * BigInt(a)) % BigInt(size));
}

const EN_SIZE = FIRST.length * INITIALS.length * LAST.length;
const TW_GIVEN = SYLLABLE.length * SYLLABLE.length;
const TW_SIZE = TW_GIVEN * FAMILY.length;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
if (gcd(7_919 * 104_729, EN_SIZE) !== 1 || gcd(7_919 * 104_729, TW_SIZE) !== 1)
  throw new Error('demo-names: the multiplier must be coprime to the group sizes');

const cap = (s: string): string => s.charAt(0) + s.slice(1).toLowerCase();

export function syntheticPerson(i: number): SyntheticPerson {
  const block = Math.floor(i / 20);
  const j = i % 20;
  if (j < TW_PER_20) {
    const x = block * TW_PER_20 + j;
    const round = Math.floor(x / TW_SIZE);
    const y = scramble(x % TW_SIZE, TW_SIZE);
    const s1 = SYLLABLE[y % SYLLABLE.length]!;
    const s2 = SYLLABLE[Math.floor(y / SYLLABLE.length) % SYLLABLE.length]!;
    const family = FAMILY[Math.floor(y / TW_GIVEN)]!;
    const given = `${s1}-${cap(s2)}`;
    const n = round > 0 ? String(round + 1) : '';
    return {
      displayName: `${family} ${given}${n ? ` ${n}` : ''}`,
      alias: `${given}.${family}${n}`.toLowerCase(),
      language: 'zh-TW',
    };
  }
  const x = block * (20 - TW_PER_20) + (j - TW_PER_20);
  const round = Math.floor(x / EN_SIZE);
  const y = scramble(x % EN_SIZE, EN_SIZE);
  const first = FIRST[y % FIRST.length]!;
  const initial = INITIALS[Math.floor(y / FIRST.length) % INITIALS.length]!;
  const last = LAST[Math.floor(y / (FIRST.length * INITIALS.length))]!;
  const n = round > 0 ? String(round + 1) : '';
  return {
    displayName: `${first} ${initial}. ${last}${n ? ` ${n}` : ''}`,
    alias: `${first}.${initial}.${last}${n}`.toLowerCase(),
    language: null,
  };
}
