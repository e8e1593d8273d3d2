// The part of sm-crypto 0.5.8 (no bundled types) that the sm2-sm3 suite uses.
declare module 'sm-crypto' {
  interface Sm2SignOptions {
    /** compute Z (GB/T 32918.2, default ID 1234567812345678) and hash SM3(Z || M) */
    hash?: boolean;
    der?: boolean;
    publicKey?: string;
    userId?: string;
  }
  export const sm2: {
    doSignature(msg: string | number[], privateKeyHex: string, options?: Sm2SignOptions): string;
    doVerifySignature(msg: string | number[], signatureHex: string, publicKeyHex: string, options?: Sm2SignOptions): boolean;
    getPublicKeyFromPrivateKey(privateKeyHex: string): string;
    generateKeyPairHex(): { privateKey: string; publicKey: string };
  };
  export function sm3(msg: string | number[]): string;
}

// sm-crypto's standalone SM3 (bytes in, bytes out; no random generator): what the workflow sandbox can load
declare module 'sm-crypto/src/sm2/sm3' {
  export function sm3(bytes: number[]): number[];
}
