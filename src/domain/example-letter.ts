import type { TranslationContent } from "./letter-content-hash.ts";
import type { SignatureState } from "./signature-states.ts";

/*
 * The example a newcomer sees on first start: a letter of the same shape as a real joint open letter (two
 * addressee groups, subject, numbered demands with a conditional one, endnotes, a letter date before the
 * publication date, live counts, a publisher block), in English and Burmese. Everything in it is invented:
 * organisations carry "Example" and "(demo)" in their names, sources live on example.org/.net/.com
 * (reserved for documentation), and the publisher says it is fictional.
 */

export const EXAMPLE_CAMPAIGN = {
  slug: "example-campaign",
  name: "Example campaign: no forced returns to Myanmar (demo)",
  description:
    "A fictional campaign that Undersigned creates on its first start so there is something to look at. " +
    "Its letter and endorsements are invented, and its key is a demo key.",
};

export const EXAMPLE_LETTER = {
  slug: "example-no-forced-returns",
  defaultLanguage: "en",
  signers: "organisations" as const,
  categories: ["Myanmar", "regional", "international"],
  letterDate: "2025-10-06",
  publicationDate: "2025-10-20",
  publisher: {
    name: "Example Coalition for Refugee Protection (demo)",
    url: "https://example.org/ecrp",
    links: [
      { label: "Website", url: "https://example.org/ecrp" },
      { label: "Mastodon", url: "https://social.example.org/@ecrp" },
    ],
  },
};

const ministersOfAsean = [
  "Brunei Darussalam",
  "Cambodia",
  "Indonesia",
  "Lao PDR",
  "Malaysia",
  "Philippines",
  "Singapore",
  "Thailand",
  "Timor-Leste",
  "Viet Nam",
];
const ministersOfPartners = ["Australia", "India", "Japan", "New Zealand", "Republic of Korea"];

const englishNotes = `
[^nonrefoulement]: Example Institute for Refugee Law, *Non-refoulement in Southeast Asia: A Primer* (example publication), March 2024, https://example.org/eirl/non-refoulement-primer
[^returns]: Example Border Monitoring Project, *Returns Tracker, January–August 2025* (example data set), 12 September 2025, https://example.org/ebmp/returns-2025
[^conscription]: Example Myanmar Legal Aid Network (demo), *Conscription and Returnees*, Briefing Paper No. 3 (example publication), 2 May 2025, https://example.net/emlan/briefing-3
[^testimony]: Example Documentation Collective, *"They Took Him at the Bridge": Testimonies of Returnees* (example report), 18 June 2025, https://example.org/edc/testimonies
[^customary]: Example Journal of Asian Refugee Studies, 'Non-refoulement as custom in states outside the Refugee Convention' (example article), vol. 4, 2023, https://example.com/ejars/4/customary
[^regional]: Example Regional Human Rights Commission, *Annual Report 2024* (example report), 30 January 2025, https://example.org/erhrc/annual-2024
[^detention]: Example Detention Watch Asia, *Children Behind Bars: Immigration Detention in the Region* (example report), 9 April 2025, https://example.net/edwa/children
[^deaths]: Example Detention Watch Asia, 'A third death in immigration custody this year' (example statement), 21 August 2025, https://example.net/edwa/statement-2025-08-21
[^pause]: Example Newswire, 'Government pauses returns pending review' (example article), 4 September 2025, https://example.com/newswire/pause-returns
[^earlier]: Example Coalition for Refugee Protection (demo), 'Open letter to regional foreign ministers on forced returns' (example open letter), 14 July 2025, https://example.org/ecrp/letter-2025-07
[^cso]: Example Myanmar Civil Society Forum (demo), 'Stop sending people back to danger' (example joint statement), 1 August 2025, https://example.org/emcsf/statement
[^mps]: Example Parliamentarians for Refugee Rights, 'Regional MPs call for an end to deportations' (example statement), 28 August 2025, https://example.org/epfrr/mps
[^observatory]: Example Human Rights Observatory, *Statement at the End of a Regional Visit* (example statement), 15 September 2025, https://example.org/ehro/regional-visit
`;

const english: TranslationContent = {
  language: "en",
  title: "Joint open letter urging regional foreign ministers to end forced returns to Myanmar (example)",
  subject:
    "Request to halt deportations and other forced returns of people fleeing Myanmar, and to open immigration detention to independent monitoring",
  addressees: [
    { heading: "The Foreign Ministers of", names: ministersOfAsean },
    { heading: "The Foreign Ministers of", names: ministersOfPartners },
  ],
  salutation: "Dear Foreign Ministers,",
  body: `We, the undersigned {{total}} Myanmar, regional and international organisations, write to urge the governments of ASEAN Member States and of ASEAN's Dialogue Partners to:

1. halt at once every deportation and other forced return of people to Myanmar, as the principle of non-refoulement requires;[^nonrefoulement]
2. give the UN refugee agency and independent monitors regular and unannounced access to every place where people from Myanmar are held for immigration reasons.

If forced returns continue despite this appeal, we call on the governments of the Dialogue Partners to:

3. make any further border-management or migration assistance to the governments concerned conditional on an end to forced returns, and to say so publicly.

People are still leaving Myanmar every day to escape air strikes, arbitrary arrest and forced recruitment. Yet in the first eight months of this year, at least 4,800 of them were sent back from neighbouring countries, many after weeks in immigration detention and without any chance to ask for protection.[^returns] Those returned are handed over at border crossings to the same authorities they fled. Men of military age have been taken for conscription within days of their return,[^conscription] and families have told researchers of relatives who were questioned at the border and have not been heard from since.[^testimony]

The principle of non-refoulement forbids sending anyone to a place where they face persecution, torture or other serious harm. It binds every state, whether or not it has joined the 1951 Refugee Convention,[^customary] and governments of the region have reaffirmed the right to seek asylum in their own human-rights commitments.[^regional] Deportation to Myanmar today cannot be reconciled with it.

Conditions in immigration detention add to the harm. Children are held with unrelated adults in crowded cells,[^detention] and at least three people from Myanmar have died in immigration custody in the region this year.[^deaths] Independent monitoring is the least that can be done to prevent further deaths, and to make sure that those who wish to claim asylum can do so.

We welcome the decision of one government to pause returns while it reviews its practice,[^pause] and we urge it to make that pause permanent. We ask every government addressed here to follow the same course and to take the steps set out at the beginning of this letter.

On 14 July 2025, the Example Coalition for Refugee Protection wrote to the foreign ministers of the region about these returns.[^earlier] To date, no response has been received, and the returns have continued. This letter repeats appeals made by Myanmar civil-society organisations[^cso] and by parliamentarians of the region,[^mps] and shares the concern expressed by independent human-rights observers at the end of their recent visit to the region.[^observatory]
${englishNotes}`,
  closing: `We look forward to your positive response and to seeing your governments act without delay.

The {{listed}} organisations named below stand with {{undisclosed}} others that work where signing openly would endanger their staff and the people they serve.`,
  publisherAbout:
    "The Example Coalition for Refugee Protection is a fictional network invented for Undersigned's first-run example. It stands in for the kind of coalition of Myanmar, regional and international civil-society organisations that drafts a joint letter, gathers endorsements and publishes the letter here.",
};

const burmese: TranslationContent = {
  language: "my",
  title: "မြန်မာနိုင်ငံသို့ အတင်းအကျပ် ပြန်ပို့နေမှုများကို ရပ်တန့်ရန် ဒေသတွင်း နိုင်ငံခြားရေးဝန်ကြီးများထံ တိုက်တွန်းသည့် ပူးတွဲပွင့်လင်းပေးစာ (နမူနာ)",
  subject:
    "မြန်မာနိုင်ငံမှ ထွက်ပြေးလာသူများကို နှင်ထုတ်ခြင်းနှင့် အခြား အတင်းအကျပ် ပြန်ပို့ခြင်းများကို ရပ်တန့်ရန်နှင့် လူဝင်မှုကြီးကြပ်ရေး ထိန်းသိမ်းရေးနေရာများသို့ လွတ်လပ်သော စောင့်ကြည့်သူများ ဝင်ရောက်ခွင့်ပြုရန် တောင်းဆိုခြင်း",
  addressees: [
    {
      heading: "အောက်ပါနိုင်ငံများ၏ နိုင်ငံခြားရေးဝန်ကြီးများ",
      names: [
        "ဘရူနိုင်း ဒါရုဆလမ်",
        "ကမ္ဘောဒီးယား",
        "အင်ဒိုနီးရှား",
        "လာအို",
        "မလေးရှား",
        "ဖိလစ်ပိုင်",
        "စင်ကာပူ",
        "ထိုင်း",
        "တီမောလက်စ်တေ",
        "ဗီယက်နမ်",
      ],
    },
    {
      heading: "အောက်ပါနိုင်ငံများ၏ နိုင်ငံခြားရေးဝန်ကြီးများ",
      names: ["ဩစတြေးလျ", "အိန္ဒိယ", "ဂျပန်", "နယူးဇီလန်", "ကိုရီးယားသမ္မတနိုင်ငံ"],
    },
  ],
  salutation: "လေးစားအပ်ပါသော နိုင်ငံခြားရေးဝန်ကြီးများခင်ဗျား၊",
  body: `အောက်တွင် လက်မှတ်ရေးထိုးထားသော မြန်မာ၊ ဒေသတွင်းနှင့် နိုင်ငံတကာ အဖွဲ့အစည်း {{total}} ဖွဲ့ဖြစ်သည့် ကျွန်ုပ်တို့သည် အာဆီယံအဖွဲ့ဝင်နိုင်ငံများနှင့် အာဆီယံ၏ ဆွေးနွေးဖက်နိုင်ငံများ၏ အစိုးရများကို အောက်ပါအတိုင်း ဆောင်ရွက်ရန် တိုက်တွန်းအပ်ပါသည် -

1. ဘေးအန္တရာယ်ရှိရာသို့ ပြန်မပို့ရဟူသော မူနှင့်အညီ မြန်မာနိုင်ငံသို့ နှင်ထုတ်ခြင်းနှင့် အတင်းအကျပ် ပြန်ပို့ခြင်း အားလုံးကို ချက်ချင်း ရပ်တန့်ရန်၊[^nonrefoulement]
2. မြန်မာနိုင်ငံမှ လာသူများကို လူဝင်မှုကြီးကြပ်ရေး အကြောင်းပြချက်ဖြင့် ထိန်းသိမ်းထားသည့် နေရာအားလုံးသို့ ကုလသမဂ္ဂ ဒုက္ခသည်ဆိုင်ရာ အေဂျင်စီနှင့် လွတ်လပ်သော စောင့်ကြည့်သူများကို ပုံမှန်နှင့် ကြိုတင်အကြောင်းမကြားဘဲ ဝင်ရောက်ခွင့်ပြုရန်။

ဤတောင်းဆိုချက်ကြားမှ အတင်းအကျပ် ပြန်ပို့မှုများ ဆက်ရှိနေပါက ဆွေးနွေးဖက်နိုင်ငံ အစိုးရများကို အောက်ပါအတိုင်း တိုက်တွန်းအပ်ပါသည် -

3. သက်ဆိုင်ရာ အစိုးရများအား ပေးမည့် နယ်စပ်စီမံခန့်ခွဲရေးနှင့် ရွှေ့ပြောင်းနေထိုင်မှုဆိုင်ရာ အကူအညီမှန်သမျှကို အတင်းအကျပ် ပြန်ပို့မှု ရပ်တန့်ရေးနှင့် ချိတ်ဆက်ရန်နှင့် ယင်းကို လူသိရှင်ကြား ကြေညာရန်။

ပြန်ပို့ခံရသူများကို ၎င်းတို့ ထွက်ပြေးခဲ့ရသည့် အာဏာပိုင်များထံ နယ်စပ်ဂိတ်များတွင်ပင် လွှဲပြောင်းပေးနေပါသည်။ ပြန်ရောက်ပြီး ရက်ပိုင်းအတွင်း အတင်းအကျပ် စစ်မှုထမ်းခိုင်းခံရသူများ ရှိပြီး၊[^conscription] နယ်စပ်တွင် စစ်ကြောမေးမြန်းခံရပြီးနောက် သတင်းအစအန မကြားရတော့သော ဆွေမျိုးများအကြောင်းကိုလည်း မိသားစုများက ပြောပြကြပါသည်။[^testimony]

ဘေးအန္တရာယ်ရှိရာသို့ ပြန်မပို့ရဟူသော မူသည် ၁၉၅၁ ခုနှစ် ဒုက္ခသည်ဆိုင်ရာ ကွန်ဗင်းရှင်းကို လက်မှတ်ရေးထိုးထားခြင်း ရှိ၊ မရှိ မည်သည့်နိုင်ငံကိုမဆို စည်းနှောင်ပါသည်။[^customary]

၂၀၂၅ ခုနှစ် ဇူလိုင်လ ၁၄ ရက်နေ့တွင် ဤဒေသ၏ နိုင်ငံခြားရေးဝန်ကြီးများထံ ကျွန်ုပ်တို့ ပေးစာ ပေးပို့ခဲ့ပါသည်။[^earlier] ယနေ့အထိ မည်သည့် တုံ့ပြန်မှုမျှ မရရှိသေးဘဲ ပြန်ပို့မှုများမှာလည်း ဆက်လက်ဖြစ်ပွားနေဆဲ ဖြစ်ပါသည်။

[^nonrefoulement]: Example Institute for Refugee Law, *Non-refoulement in Southeast Asia: A Primer* (နမူနာ ထုတ်ဝေမှု), March 2024, https://example.org/eirl/non-refoulement-primer
[^conscription]: Example Myanmar Legal Aid Network (demo), *Conscription and Returnees*, Briefing Paper No. 3 (နမူနာ ထုတ်ဝေမှု), 2 May 2025, https://example.net/emlan/briefing-3
[^testimony]: Example Documentation Collective, *"They Took Him at the Bridge": Testimonies of Returnees* (နမူနာ အစီရင်ခံစာ), 18 June 2025, https://example.org/edc/testimonies
[^customary]: Example Journal of Asian Refugee Studies, 'Non-refoulement as custom in states outside the Refugee Convention' (နမူနာ ဆောင်းပါး), vol. 4, 2023, https://example.com/ejars/4/customary
[^earlier]: Example Coalition for Refugee Protection (demo), 'Open letter to regional foreign ministers on forced returns' (နမူနာ ပွင့်လင်းပေးစာ), 14 July 2025, https://example.org/ecrp/letter-2025-07
`,
  closing: `သင်တို့၏ အပြုသဘောဆောင်သော တုံ့ပြန်မှုကိုလည်းကောင်း၊ သင်တို့၏ အစိုးရများ အချိန်မဆိုင်းဘဲ ဆောင်ရွက်မည်ကိုလည်းကောင်း မျှော်လင့်ပါသည်။

အောက်တွင် အမည်ဖော်ပြထားသော အဖွဲ့အစည်း {{listed}} ဖွဲ့သည် ပွင့်ပွင့်လင်းလင်း လက်မှတ်ထိုးပါက ဝန်ထမ်းများနှင့် ၎င်းတို့ ကူညီနေသူများ အန္တရာယ်ကျရောက်နိုင်သည့် နေရာများတွင် လုပ်ကိုင်နေရသော အခြားအဖွဲ့အစည်း {{undisclosed}} ဖွဲ့နှင့်အတူ ရပ်တည်ပါသည်။`,
  publisherAbout:
    "နမူနာ ဒုက္ခသည်ကာကွယ်ရေး ညွန့်ပေါင်းအဖွဲ့ (Example Coalition for Refugee Protection) သည် Undersigned ၏ ပထမဆုံးအကြိမ် နမူနာအတွက် ဖန်တီးထားသော စိတ်ကူးယဉ် ကွန်ရက်တစ်ခု ဖြစ်ပါသည်။ ပူးတွဲပေးစာကို ရေးဆွဲ၊ ထောက်ခံမှုများ စုဆောင်းပြီး ဤနေရာတွင် ထုတ်ပြန်သည့် မြန်မာ၊ ဒေသတွင်းနှင့် နိုင်ငံတကာ အရပ်ဘက်အဖွဲ့အစည်းများ၏ ညွန့်ပေါင်းမျိုးကို ကိုယ်စားပြုပါသည်။",
};

export const EXAMPLE_TRANSLATIONS: readonly TranslationContent[] = [english, burmese];

export type ExampleEndorsement = {
  name: string;
  /** The name in another script, shown beside it (e.g. the English name of a Burmese-named group). */
  nameAlt?: string;
  category: string;
  country: string;
  website?: string;
  /** Goes only into the sealed contact, like every signatory's contact. */
  email: string;
  state: SignatureState;
};

const listed = (
  name: string,
  category: string,
  country: string,
  extra: Partial<ExampleEndorsement> = {},
): ExampleEndorsement => {
  const handle = name
    .toLowerCase()
    .replace(/\(demo\)|[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return {
    name,
    category,
    country,
    email: `contact@${handle || "group"}.example.org`,
    state: "approved",
    ...extra,
  };
};

/** 40 approved and listed, plus four in other states that must not be counted. */
export const EXAMPLE_LISTED_ENDORSEMENTS: readonly ExampleEndorsement[] = [
  listed("Example Rivers Network (demo)", "Myanmar", "Myanmar", { website: "https://example.org/rivers" }),
  listed("Example Women's Rights Collective (demo)", "Myanmar", "Myanmar"),
  listed("Example Youth Legal Clinic (demo)", "Myanmar", "Myanmar"),
  listed("Example Farmers' Union (demo)", "Myanmar", "Myanmar"),
  listed("Example Teachers' Federation (demo)", "Myanmar", "Myanmar"),
  listed("Example Health Workers' Alliance (demo)", "Myanmar", "Myanmar"),
  listed("Example Media Freedom Group (demo)", "Myanmar", "Myanmar", {
    website: "https://example.org/media",
  }),
  listed("Example Ethnic Languages Project (demo)", "Myanmar", "Myanmar"),
  listed("Example Labour Solidarity Centre (demo)", "Myanmar", "Myanmar"),
  listed("Example Disability Rights Network (demo)", "Myanmar", "Myanmar"),
  listed("Example Land Rights Watch (demo)", "Myanmar", "Myanmar"),
  listed("Example Interfaith Dialogue Circle (demo)", "Myanmar", "Myanmar"),
  listed("Example Community Radio Association (demo)", "Myanmar", "Myanmar"),
  listed("Example Students' Union (demo)", "Myanmar", "Myanmar"),
  listed("နမူနာ အမျိုးသမီး ဥပဒေအကူအညီအဖွဲ့ (demo)", "Myanmar", "Myanmar", {
    nameAlt: "Example Women's Legal Aid Group (demo)",
    email: "contact@womens-legal-aid.example.org",
  }),
  listed("နမူနာ လူငယ်ကွန်ရက် (demo)", "Myanmar", "Myanmar", {
    nameAlt: "Example Youth Network (demo)",
    email: "contact@youth-network.example.org",
  }),
  listed("နမူနာ စာပေနှင့် ယဉ်ကျေးမှုအသင်း (demo)", "Myanmar", "Myanmar", {
    nameAlt: "Example Literature and Culture Association (demo)",
    email: "contact@literature-culture.example.org",
  }),
  listed("နမူနာ ကျေးလက်ဖွံ့ဖြိုးရေး ဖောင်ဒေးရှင်း (demo)", "Myanmar", "Myanmar", {
    nameAlt: "Example Rural Development Foundation (demo)",
    email: "contact@rural-development.example.org",
  }),
  listed("နမူနာ လူ့အခွင့်အရေး မှတ်တမ်းတင်ရေးအဖွဲ့ (demo)", "Myanmar", "Myanmar", {
    nameAlt: "Example Human Rights Documentation Group (demo)",
    email: "contact@documentation.example.org",
  }),
  listed("Example Mekong Solidarity Forum (demo)", "regional", "Thailand"),
  listed("Example Migrant Workers' Help Desk (demo)", "regional", "Malaysia"),
  listed("Example Southeast Asian Lawyers' Circle (demo)", "regional", "Philippines"),
  listed("Example Refugee Legal Aid Hub (demo)", "regional", "Indonesia", {
    website: "https://example.net/legal-aid-hub",
  }),
  listed("Example Border Health Clinic (demo)", "regional", "Thailand"),
  listed("Example Press Freedom Alliance (demo)", "regional", "Indonesia"),
  listed("Example Asia Youth Assembly (demo)", "regional", "Philippines"),
  listed("Example Regional Labour Watch (demo)", "regional", "Cambodia"),
  listed("Example Women Peacebuilders' Network (demo)", "regional", "Timor-Leste"),
  listed("Example Digital Rights Lab (demo)", "regional", "Malaysia"),
  listed("Example Shelter Volunteers' Association (demo)", "regional", "Thailand"),
  listed("Example Regional Faith Coalition (demo)", "regional", "Singapore"),
  listed("Example International Refugee Council (demo)", "international", "United Kingdom", {
    website: "https://example.com/refugee-council",
  }),
  listed("Example Global Justice Institute (demo)", "international", "Netherlands"),
  listed("Example Human Rights Foundation (demo)", "international", "Switzerland"),
  listed("Example Solidarity Fund (demo)", "international", "Japan"),
  listed("Example Friends of Myanmar Society (demo)", "international", "Australia"),
  listed("Example Trade Union Confederation (demo)", "international", "Belgium"),
  listed("Example Asylum Support Trust (demo)", "international", "Canada"),
  listed("Example Peace Research Centre (demo)", "international", "Norway"),
  listed("Example Civic Space Monitor (demo)", "international", "United States"),
  listed("Example Awaiting Review Society (demo)", "regional", "Thailand", { state: "confirmed" }),
  listed("Example Unconfirmed Association (demo)", "international", "Germany", { state: "unconfirmed" }),
  listed("Example Rejected Duplicate Group (demo)", "Myanmar", "Myanmar", { state: "rejected" }),
  listed("Example Withdrawn Network (demo)", "regional", "Malaysia", { state: "withdrawn" }),
];

const myanmarDigits = (n: number) => String(n).replace(/\d/g, (d) => String.fromCharCode(0x1040 + Number(d)));

/**
 * 25 approved undisclosed endorsements, plus two awaiting review and one withdrawn. Their names and contacts
 * exist only inside sealed boxes; tests search every page, API answer and table for them.
 */
export const EXAMPLE_UNDISCLOSED_ENDORSEMENTS: readonly ExampleEndorsement[] = Array.from(
  { length: 28 },
  (_, i): ExampleEndorsement => {
    const n = i + 1;
    const two = String(n).padStart(2, "0");
    const category = ["Myanmar", "Myanmar", "regional", "international"][i % 4]!;
    return {
      // Every fourth one in Burmese, as many real undisclosed signatories would be.
      name:
        n % 4 === 0
          ? `နမူနာ အမည်မဖော်သော အဖွဲ့ ${myanmarDigits(n).padStart(2, "၀")} (demo)`
          : `Sealed Example Group ${two} (demo)`,
      category,
      country: category === "Myanmar" ? "Myanmar" : category === "regional" ? "Thailand" : "United Kingdom",
      email: `undisclosed-${two}@example.org`,
      state: n <= 25 ? "approved" : n <= 27 ? "confirmed" : "withdrawn",
    };
  },
);
