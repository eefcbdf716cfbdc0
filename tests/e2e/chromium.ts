// Where the browser tests find Chromium: CHROMIUM_PATH, Debian's /usr/bin/chromium, or the
// browser Playwright installed itself. With none, they stop and say how to get one.
import fs from "node:fs";
import { chromium } from "@playwright/test";

export function findChromium(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // Playwright has no browser of its own installed: fine when another candidate exists.
  }
  const found = candidates.find((candidate): candidate is string => !!candidate && fs.existsSync(candidate));
  if (!found) {
    throw new Error(
      "The browser tests need Chromium and none was found. Install it with `sudo apt-get install -y chromium` " +
        "(Debian/Ubuntu), or point CHROMIUM_PATH at a Chromium or Chrome binary.",
    );
  }
  return found;
}

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
