import type { Role, SessionUser } from "@/lib/auth/roles";

export type NavLink = { href: string; label: string };

const BY_ROLE: Record<Role, NavLink[]> = {
  sponsor: [{ href: "/orgs", label: "Organisations" }],
  researcher: [{ href: "/requests", label: "Access requests" }],
  committee: [{ href: "/committee", label: "Committee" }],
  "site-admin": [
    { href: "/admin", label: "Administration" },
    { href: "/admin/audit", label: "Audit trail" },
  ],
};

/** The navigation a visitor sees: public links, then what their roles open up. */
export function navFor(session: SessionUser | null): NavLink[] {
  const links: NavLink[] = [
    { href: "/", label: "Home" },
    { href: "/trials", label: "Registry" },
    { href: "/datasets", label: "Datasets" },
    { href: "/access", label: "Access" },
    { href: "/transparency", label: "Transparency" },
  ];
  // Participants have no account: the wallet is for visitors. Staff signed in see their own work.
  if (!session) return [...links, { href: "/participate", label: "Participate" }];
  links.push({ href: "/dashboard", label: "Dashboard" });
  for (const role of session.roles) links.push(...BY_ROLE[role]);
  links.push({ href: "/account", label: "Account" });
  return links;
}
