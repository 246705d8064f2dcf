/*
 * A messy endorsement file like a Google Forms export after a few weeks of hand edits, generated so a test
 * knows exactly what each row should become: byte-order mark, CRLF with some LF line ends, quoted commas,
 * doubled quotes and line breaks in names, Burmese names in Unicode and in Zawgyi, timestamps in four
 * formats, a few undisclosed rows, an ignored extra question, invalid rows, repeated rows and blank lines.
 * Headers are the form's, not the canonical columns: importing needs FORM_MAP.
 */

export const FORM_MAP = {
  name: "Organisation name",
  signed_at: "Timestamp",
  visibility: "Show our name?",
  email: "Email address",
} as const;

const HEADER = [
  "Timestamp",
  "Organisation name",
  "kind",
  "category",
  "country",
  "website",
  "contact",
  "Email address",
  "Show our name?",
  "Any comments?",
];

const BURMESE_DIGITS = "၀၁၂၃၄၅၆၇၈၉";
const burmeseNumber = (n: number) => [...String(n)].map((d) => BURMESE_DIGITS[Number(d)]).join("");

/** Unicode Burmese names and the same names typed in Zawgyi (converted to these by displayName). */
const BURMESE = [
  { unicode: "မြန်မာ့အမျိုးသမီးအဖွဲ့", zawgyi: "ျမန္မာ့အမ်ိဳးသမီးအဖြဲ႕" },
  { unicode: "မြန်မာ", zawgyi: "ျမန္မာ" },
];

export type MessyFile = {
  text: string;
  expected: { imported: number; duplicates: number; rejected: number };
  /** Names (as stored) of undisclosed rows, to prove they appear nowhere in the clear. */
  undisclosedNames: string[];
  /** A listed name in the file, to pre-register on the letter as an existing endorsement. */
  listedName: string;
  /** The same file as records (blank lines as empty records), for writing it in another format. */
  header: string[];
  body: string[][];
};

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** One timestamp for row i, cycling through the formats; days above 12 so each is unambiguous. */
function timestamp(i: number): string {
  const day = 13 + (i % 15);
  const month = 1 + (i % 9);
  const [h, m, s] = [i % 24, i % 60, (i * 7) % 60];
  switch (i % 4) {
    case 0:
      return `2026-${pad(month)}-${pad(day)}T${pad(h)}:${pad(m)}:${pad(s)}Z`;
    case 1:
      return `${pad(day)}/${pad(month)}/2026 ${pad(h)}:${pad(m)}:${pad(s)}`;
    case 2:
      return `${month}/${day}/2026 ${h}:${pad(m)}:${pad(s)}`;
    default:
      return `2026-${pad(month)}-${pad(day)} ${pad(h)}:${pad(m)}`;
  }
}

/**
 * `valid` distinct endorsements (the first two rows carry one Burmese name each, rows 2k in Unicode Burmese
 * with a number), plus repeats, Zawgyi repeats, invalid rows and blank lines woven in.
 */
export function messyEndorsementFile(valid: number): MessyFile {
  const rows: string[][] = [];
  const undisclosedNames: string[] = [];
  const validRows: string[][] = [];
  for (let i = 0; i < valid; i++) {
    const undisclosed = i % 9 === 4;
    let name: string;
    if (i < BURMESE.length) name = BURMESE[i]!.unicode;
    else if (i % 10 === 3) name = `ရပ်ရွာ ${burmeseNumber(i)} ကွန်ရက်`;
    else if (i % 7 === 0) name = `Rivers, Forests "and" People\nNetwork ${i} Ayeyarwady`;
    else name = `Civil Society Group ${i}, Yangon`;
    const row = [
      timestamp(i),
      name,
      i % 11 === 0 ? "individual" : i % 2 ? "Organisation" : "organisation",
      ["Myanmar", "regional", "international"][i % 3]!,
      i % 5 === 0 ? "Thailand" : "MM",
      i % 4 === 0 ? `group${i}.example.org` : "",
      i % 3 === 0 ? `Daw Aye ${i}` : "",
      `office${i}@example.org`,
      undisclosed ? "undisclosed" : "listed",
      i % 13 === 0 ? "We support this, fully." : "",
    ];
    if (undisclosed) undisclosedNames.push(name.replace(/\s+/g, " "));
    rows.push(row);
    validRows.push(row);
  }
  // Every 25th valid row comes again later (a form submitted twice); the Burmese ones again in Zawgyi.
  const repeats = validRows.filter((_, i) => i % 25 === 10);
  const zawgyiRepeats = BURMESE.map((b, i) => {
    const row = [...validRows[i]!];
    row[1] = b.zawgyi;
    return row;
  });
  const invalid = [
    ["2026-03-01 10:00", "", "organisation", "Myanmar", "MM", "", "", "a@example.org", "listed", ""],
    ["2026-03-01 10:00", "Bad Kind Org", "company", "Myanmar", "MM", "", "", "a@example.org", "listed", ""],
    [
      "2026-03-01 10:00",
      "Unsure Org",
      "organisation",
      "Myanmar",
      "MM",
      "",
      "",
      "a@example.org",
      "perhaps",
      "",
    ],
    ["31/02/2026 10:00:00", "Bad Date Org", "organisation", "Myanmar", "MM", "", "", "a@x.org", "listed", ""],
    [
      "2026-03-01 10:00",
      "Bad Mail Org",
      "organisation",
      "Myanmar",
      "MM",
      "",
      "",
      "not-an-email",
      "listed",
      "",
    ],
    [
      "2026-03-01 10:00",
      "Atlantis Org",
      "organisation",
      "Myanmar",
      "Atlantis",
      "",
      "",
      "a@x.org",
      "listed",
      "",
    ],
    [
      "2026-03-01 10:00",
      "Wrong Category",
      "organisation",
      "Elsewhere",
      "MM",
      "",
      "",
      "a@x.org",
      "listed",
      "",
    ],
  ];
  const all = [...rows, ...repeats, ...zawgyiRepeats];
  // Invalid rows spread through the file rather than bunched at the end.
  for (const [k, row] of invalid.entries()) all.splice(100 + k * 97, 0, row);
  let text = `\uFEFF${HEADER.map(cell).join(",")}\r\n`;
  const body: string[][] = [];
  all.forEach((row, k) => {
    text += row.map(cell).join(",") + (k % 50 === 49 ? "\n" : "\r\n");
    body.push(row);
    if (k % 200 === 199) {
      text += "\r\n";
      body.push([]);
    }
  });
  return {
    text,
    expected: {
      imported: valid,
      duplicates: repeats.length + zawgyiRepeats.length,
      rejected: invalid.length,
    },
    undisclosedNames,
    listedName: "Civil Society Group 5, Yangon",
    header: HEADER,
    body,
  };
}
