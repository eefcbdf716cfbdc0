// `npm run i18n:untranslated`: every user-visible string in app/ that is not in a catalogue, as file:line.
import { formatOffences, untranslatedStrings } from "@/lib/i18n/untranslated";

const offences = untranslatedStrings(process.cwd());
console.log(
  offences.length === 0
    ? "Every user-visible string in app/ comes from a catalogue."
    : `${formatOffences(offences)}\n\n${offences.length} untranslated string(s).`,
);
process.exitCode = offences.length === 0 ? 0 : 1;
