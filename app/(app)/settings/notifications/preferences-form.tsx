"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { savePreferencesAction } from "@/app/actions/notification-actions";
import { Alert, Button, Card } from "@/app/_components/ui";

type Row = { kind: string; label: string; description: string; inApp: boolean; email: boolean };

export function PreferencesForm({ rows, mailsGoToOutbox }: { rows: Row[]; mailsGoToOutbox: boolean }) {
  const t = useTranslations("notificationSettings");
  const [values, setValues] = useState(rows);
  const [state, setState] = useState<{ pending: boolean; notice: string | null; error: string | null }>({ pending: false, notice: null, error: null });

  function toggle(kind: string, channel: "inApp" | "email") {
    setValues((current) => current.map((row) => (row.kind === kind ? { ...row, [channel]: !row[channel] } : row)));
    setState((current) => ({ ...current, notice: null }));
  }

  async function save() {
    setState({ pending: true, notice: null, error: null });
    const result = await savePreferencesAction(values.map(({ kind, inApp, email }) => ({ kind, inApp, email })));
    setState(result.ok ? { pending: false, notice: result.message ?? null, error: null } : { pending: false, notice: null, error: result.error });
  }

  return (
    <Card title={t("card")} description={t("cardDescription")}>
      <div className="space-y-3">
        {mailsGoToOutbox ? <Alert tone="info">{t("outbox")}</Alert> : null}
        <table className="w-full text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
              <th className="py-2 font-medium">{t("kindColumn")}</th>
              <th className="w-28 py-2 text-center font-medium">{t("inApp")}</th>
              <th className="w-28 py-2 text-center font-medium">{t("email")}</th>
            </tr>
          </thead>
          <tbody>
            {values.map((row) => (
              <tr key={row.kind} className="border-b border-slate-100">
                <td className="py-2.5">
                  <div className="font-medium text-slate-900">{row.label}</div>
                  <div className="text-xs text-slate-500">{row.description}</div>
                </td>
                {(["inApp", "email"] as const).map((channel) => (
                  <td key={channel} className="text-center">
                    <input
                      type="checkbox"
                      className="h-4 w-4 accent-indigo-600"
                      checked={row[channel]}
                      onChange={() => toggle(row.kind, channel)}
                      aria-label={t("checkbox", { label: row.label, channel: channel === "inApp" ? t("inApp") : t("email") })}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
        {state.notice ? <Alert tone="success">{state.notice}</Alert> : null}
        <Button onClick={save} disabled={state.pending}>
          {state.pending ? t("saving") : t("save")}
        </Button>
      </div>
    </Card>
  );
}
