import type { ReactNode } from "react";
import { WalletProvider } from "./wallet-context";

/** Participant pages share one wallet provider, so an unlocked wallet stays unlocked across them. */
export default function ParticipantLayout({ children }: { children: ReactNode }) {
  return <WalletProvider>{children}</WalletProvider>;
}
