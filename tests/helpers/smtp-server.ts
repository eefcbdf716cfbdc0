// A real SMTP server in process (the smtp-server package) that keeps what it receives, for tests
// that assert on the mail Ferry sends through nodemailer. It can refuse the next N messages to
// exercise the retry path.
import { SMTPServer } from "smtp-server";
import nodemailer from "nodemailer";
import type { AddressInfo } from "node:net";
import type { MailSender } from "@/lib/notifications/delivery";

export type ReceivedMail = { from: string; to: string[]; subject: string; text: string; raw: string };

export type TestSmtpServer = {
  url: string;
  received: ReceivedMail[];
  /** Refuses the next `count` messages with a 451 (a temporary failure). */
  refuseNext(count: number): void;
  sender(): MailSender;
  close(): Promise<void>;
};

export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let refusals = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (refusals > 0) {
          refusals -= 1;
          callback(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 }));
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        received.push({
          ...parse(raw),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuseNext: (count) => {
      refusals = count;
    },
    sender: () => nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Subject and text body of a single-part message (what Ferry sends), decoded from quoted-printable. */
function parse(raw: string): { subject: string; text: string } {
  const [head, ...bodyParts] = raw.split("\r\n\r\n");
  const headers = head.replace(/\r\n[ \t]+/g, " ");
  const subject = /^Subject: (.*)$/im.exec(headers)?.[1] ?? "";
  const body = bodyParts.join("\r\n\r\n");
  const quotedPrintable = /^Content-Transfer-Encoding: quoted-printable$/im.test(headers);
  return { subject: decodeWords(subject), text: (quotedPrintable ? decodeQuotedPrintable(body) : body).replace(/\r\n/g, "\n").trimEnd() };
}

function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r\n/g, "");
  const bytes: number[] = [];
  for (let index = 0; index < joined.length; index += 1) {
    const hex = joined[index] === "=" ? /^[0-9A-F]{2}$/i.exec(joined.slice(index + 1, index + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      index += 2;
    } else bytes.push(...Buffer.from(joined[index], "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= and =?UTF-8?B?…?=) in a header. */
function decodeWords(header: string): string {
  return header
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, encoding: string, word: string) =>
      encoding.toUpperCase() === "B" ? Buffer.from(word, "base64").toString("utf8") : decodeQuotedPrintable(word.replace(/_/g, " ")),
    );
}
