// Where the browser tests find Chromium, in this order: CHROMIUM_PATH, a system Chromium
// (Debian's /usr/bin/chromium and the like), then the Chromium that the npm package
// @sparticuz/chromium ships inside its tarball, so `npm install && npm test` needs nothing else
// on a fresh machine. Playwright's own browser download is never used (it needs the internet).
import fs from "node:fs";

const SYSTEM_CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** Flags for a headless Chromium on a machine with no network but loopback. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// The package's flags are tuned for AWS Lambda; these would make the tests less like a browser.
const LAMBDA_ONLY_ARGS = new Set(["--single-process", "--no-zygote", "--disable-web-security", "--allow-running-insecure-content"]);

export type ChromiumLaunch = { executablePath: string; args: string[]; source: string };

/** Unpacks the npm package's Chromium (into the OS temp folder, once) and returns how to launch it. */
async function packagedChromium(): Promise<ChromiumLaunch> {
  const { default: packaged } = await import("@sparticuz/chromium");
  const executablePath = await packaged.executablePath();
  const args = [...packaged.args.filter((arg) => !LAMBDA_ONLY_ARGS.has(arg)), ...CHROMIUM_ARGS];
  return { executablePath, args: [...new Set(args)], source: "@sparticuz/chromium" };
}

export async function findChromium(): Promise<ChromiumLaunch> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!fs.existsSync(configured)) throw new Error(`CHROMIUM_PATH points at ${configured}, which does not exist. Fix the path or unset CHROMIUM_PATH.`);
    return { executablePath: configured, args: CHROMIUM_ARGS, source: "CHROMIUM_PATH" };
  }
  const system = SYSTEM_CHROMIUM.find((candidate) => fs.existsSync(candidate));
  if (system) return { executablePath: system, args: CHROMIUM_ARGS, source: "system" };
  return packagedChromium();
}
