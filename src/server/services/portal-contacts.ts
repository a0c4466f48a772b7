import { isSealed, openSecret, sealSecret } from '../notify/secrets.ts';

/*
 * The name and contact a public commenter may give: stored sealed (AES-256-GCM under CONCORD_SECRET_KEY,
 * the same sealing as robots' secrets), opened only for the round's moderators and to e-mail the commenter
 * the outcome of moderation. Nothing public ever returns them.
 */

export interface Commenter {
  name: string;
  contact: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Seals both fields for storage; each sealing has its own random IV, so equal contacts look different. */
export function sealCommenter(commenter: Commenter, secretKey: string | null): Commenter {
  return {
    name: sealSecret(commenter.name, secretKey),
    contact: sealSecret(commenter.contact, secretKey),
  };
}

/** Opens a stored commenter; a value stored before contacts were sealed is returned as it is. */
export function openCommenter(stored: Commenter, secretKey: string | null): Commenter {
  const open = (value: string): string => (isSealed(value) ? openSecret(value, secretKey) : value);
  return { name: open(stored.name), contact: open(stored.contact) };
}

/** The contact alone, or null when it cannot be opened (the secret key is missing or was changed). */
export function openContact(stored: Commenter, secretKey: string | null): string | null {
  try {
    return openCommenter(stored, secretKey).contact;
  } catch {
    return null;
  }
}

/** A contact the commenter can be e-mailed at (the other kind is a phone number). */
export const isEmailContact = (contact: string): boolean => EMAIL.test(contact);
