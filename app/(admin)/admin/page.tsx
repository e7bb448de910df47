import type { Metadata } from "next";
import { Card, PageTitle } from "@/app/_components/field";
import { listUsers } from "@/lib/auth/data";
import { requirePageAccess } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Administration" };

export default async function AdminPage() {
  await requirePageAccess(["site-admin"], "/admin");
  const users = await listUsers();
  return (
    <>
      <PageTitle>Accounts</PageTitle>
      <Card>
        <table className="w-full text-left text-sm">
          <caption className="sr-only">All accounts</caption>
          <thead>
            <tr className="border-b border-slate-200 dark:border-slate-700">
              <th scope="col" className="py-2">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Type</th>
              <th scope="col">Institution</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className="border-b border-slate-100 dark:border-slate-800">
                <td className="py-2">{u.name}{u.siteAdmin ? " (site admin)" : ""}</td>
                <td>{u.email}</td>
                <td>{u.accountType === "SPONSOR" ? "Sponsor staff" : "Researcher"}</td>
                <td>{u.institution?.name ?? "—"}</td>
                <td>{u.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
