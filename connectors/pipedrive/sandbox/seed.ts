// What a new sandbox company holds: users, two pipelines, the default activity types (reference
// §5.3–§5.6); and, with `--seed sample`, custom fields and a small deterministic CRM dataset.
import type { PipedriveStore } from "./store";

export type SandboxUserInput = { name: string; email: string; is_admin?: boolean };

export const DEFAULT_USERS: SandboxUserInput[] = [
  { name: "Olivia Owner", email: "olivia@example.com", is_admin: true },
  { name: "Sam Seller", email: "sam@example.com" },
  { name: "Lee Lead", email: "lee@example.com" },
];

export const DEFAULT_PIPELINES: { name: string; stages: string[] }[] = [
  { name: "Sales pipeline", stages: ["Qualified", "Contact made", "Proposal made", "Negotiations started"] },
  { name: "Partnerships", stages: ["Intro", "Pilot", "Signed"] },
];

/** §5.4: the activity types a new company has. */
const DEFAULT_ACTIVITY_TYPES: [string, string][] = [
  ["Call", "call"],
  ["Meeting", "meeting"],
  ["Task", "task"],
  ["Deadline", "deadline"],
  ["Email", "email"],
  ["Lunch", "lunch"],
];

export function seedCompany(store: PipedriveStore, users: SandboxUserInput[] = DEFAULT_USERS) {
  for (const user of users) store.addUser({ name: user.name, email: user.email, is_admin: user.is_admin ?? false });
  for (const pipeline of DEFAULT_PIPELINES) store.addPipeline(pipeline.name, pipeline.stages);
  for (const [name, key] of DEFAULT_ACTIVITY_TYPES) store.addActivityType(name, key);
}

const COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises", "Soylent"];
const FIRST = ["Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "John"];
const LAST = ["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Backus"];
const SAMPLE_START_MS = Date.UTC(2025, 0, 6, 9, 0, 0);
const HOUR_MS = 3_600_000;

/** A small CRM: 8 organizations, 20 persons, 12 deals, 15 activities, 15 notes, with custom fields of several types. */
export function seedSampleData(store: PipedriveStore) {
  const industry = store.addCustomField("organizations", "Industry", "varchar");
  const tier = store.addCustomField("persons", "Customer tier", "enum", ["Gold", "Silver", "Bronze"]);
  const birthday = store.addCustomField("persons", "Birthday", "date");
  const source = store.addCustomField("deals", "Lead source", "set", ["Web", "Referral", "Event"]);
  const users = store.users.map((user) => user.id);
  const at = (index: number) => SAMPLE_START_MS + index * HOUR_MS;
  const orgs = COMPANIES.map((name, index) =>
    store.insert(
      "organizations",
      { name, owner_id: users[index % users.length], address: { value: `${index + 1} Main Street, Springfield` } },
      { [industry.field_code]: index % 2 ? "Software" : "Manufacturing" },
      at(index),
    ),
  );
  const persons = Array.from({ length: 20 }, (_, index) => {
    const name = `${FIRST[index % FIRST.length]} ${LAST[(index * 3) % LAST.length]}`;
    const email = `${name.toLowerCase().replace(" ", ".")}${index}@example.com`;
    return store.insert(
      "persons",
      {
        name,
        owner_id: users[index % users.length],
        org_id: orgs[index % orgs.length].id,
        emails: [
          { value: email, primary: true, label: "work" },
          ...(index % 4 === 0 ? [{ value: `home${index}@example.org`, primary: false, label: "home" }] : []),
        ],
        phones: index % 3 === 0 ? [] : [{ value: `+1 555 01${String(index).padStart(2, "0")}`, primary: true, label: "mobile" }],
      },
      { [tier.field_code]: tier.options?.[index % 3].id ?? null, [birthday.field_code]: `19${70 + index}-0${(index % 9) + 1}-15` },
      at(10 + index),
    );
  });
  const stages = store.stages.filter((stage) => stage.pipeline_id === store.pipelines[0].id);
  const deals = Array.from({ length: 12 }, (_, index) =>
    store.insert(
      "deals",
      {
        title: `${COMPANIES[index % COMPANIES.length]} deal ${index + 1}`,
        owner_id: users[index % users.length],
        person_id: persons[index].id,
        org_id: orgs[index % orgs.length].id,
        pipeline_id: store.pipelines[0].id,
        stage_id: stages[index % stages.length].id,
        value: 1000 * (index + 1),
        currency: index % 2 ? "EUR" : "USD",
        status: index % 5 === 4 ? "won" : index % 7 === 6 ? "lost" : "open",
        expected_close_date: `2025-0${(index % 9) + 1}-28`,
      },
      { [source.field_code]: [source.options?.[index % 3].id ?? 0] },
      at(40 + index),
    ),
  );
  const types = ["call", "meeting", "task", "email"];
  for (let index = 0; index < 15; index += 1) {
    store.insert(
      "activities",
      {
        subject: `Follow up ${index + 1}`,
        type: types[index % types.length],
        owner_id: users[index % users.length],
        deal_id: deals[index % deals.length].id,
        person_id: persons[index].id,
        org_id: null,
        due_date: `2025-02-${String((index % 27) + 1).padStart(2, "0")}`,
        due_time: index % 2 ? "10:30" : null,
        done: index % 3 === 0,
        note: index % 2 ? `<p>Agenda for call ${index + 1}</p>` : null,
      },
      {},
      at(60 + index),
    );
  }
  for (let index = 0; index < 15; index += 1) {
    store.insertNote(
      {
        content: `<p>Note ${index + 1} about <b>${persons[index].values.name as string}</b></p>`,
        person_id: index % 3 === 0 ? persons[index].id : null,
        org_id: index % 3 === 1 ? orgs[index % orgs.length].id : null,
        deal_id: index % 3 === 2 ? deals[index % deals.length].id : null,
        user_id: users[index % users.length],
      },
      at(80 + index),
    );
  }
}
