/**
 * One DNS label (RFC 1123): lower-case letters, digits and inner hyphens, up to 63. A tenant's
 * slug is one (it is the left-most label of its host), and BASE_DOMAIN is made of them.
 */
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';

export const DNS_LABEL = new RegExp(`^${LABEL}$`);
export const DNS_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
