#!/usr/bin/env python3
"""Independent reader of auditlake .alv envelopes, written from docs/reference/vault-format.md ("## Object envelope") only.

Usage: AUDITLAKE_PASSPHRASE=... python3 scripts/verify-alv.py KEYRING_JSON ENVELOPE VAULT_KEY [OUT]
Unwraps the data key with the local keyring (scrypt + AES-256-GCM), checks every frame, the trailer SHA-256 and
size, prints `OK <sha256> <size>` and writes the original bytes to OUT if given. Exit 1 on any failure.
Needs the `cryptography` package. (For aws-kms envelopes, unwrap with kms:Decrypt instead of unwrap_local.)
"""
import base64, gzip, hashlib, json, os, struct, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt


def fail(msg):
    print(f"FAIL {msg}")
    sys.exit(1)


def canonical_context(ctx):
    return json.dumps(sorted(ctx.items()), separators=(",", ":"), ensure_ascii=False).encode()


def load_keyring(path, passphrase):
    f = json.load(open(path))
    kdf = f["kdf"]
    kek = Scrypt(salt=base64.b64decode(kdf["salt"]), length=32, n=kdf["N"], r=kdf["r"], p=kdf["p"]).derive(passphrase.encode())
    ct = base64.b64decode(f["ciphertext"]) + base64.b64decode(f["tag"])
    return json.loads(AESGCM(kek).decrypt(base64.b64decode(f["iv"]), ct, f["format"].encode()))


def unwrap_local(keyring, blob, ctx):
    if blob[:4] != b"ALK1":
        fail("wrapped key is not a local keyring blob")
    n = blob[4]
    key_id = blob[5:5 + n].decode()
    (version,) = struct.unpack(">I", blob[5 + n:9 + n])
    head, iv, rest = blob[:9 + n], blob[9 + n:21 + n], blob[21 + n:]
    rec = next((k for k in keyring["keys"] if k["id"] == key_id), None)
    if rec is None:
        fail(f"unknown key {key_id}")
    material = base64.b64decode(rec["versions"][version - 1]["material"])
    try:
        return key_id, AESGCM(material).decrypt(iv, rest, head + canonical_context(ctx))
    except Exception:
        fail("wrapped data key does not authenticate")


def main():
    keyring_path, envelope_path, vault_key = sys.argv[1:4]
    out_path = sys.argv[4] if len(sys.argv) > 4 else None
    data = open(envelope_path, "rb").read()
    if data[:4] != b"ALV1":
        fail("bad magic")
    (k,) = struct.unpack(">I", data[4:8])
    key_block = json.loads(data[8:8 + k])
    (h,) = struct.unpack(">I", data[8 + k:12 + k])
    header_bytes = data[12 + k:12 + k + h]
    header = json.loads(header_bytes)
    if header["v"] != 1 or header["alg"] != "AES-256-GCM":
        fail("unsupported header")
    if header["object"]["vaultKey"] != vault_key:
        fail("moved: envelope written for " + header["object"]["vaultKey"])
    header_sha = hashlib.sha256(header_bytes).digest()
    ctx = {"auditlake:object": vault_key, "auditlake:header-sha256": header_sha.hex()}
    keyring = load_keyring(keyring_path, os.environ["AUDITLAKE_PASSPHRASE"])
    key_id, data_key = unwrap_local(keyring, base64.b64decode(key_block["wrappedKey"]), ctx)
    if key_id != key_block["keyId"]:
        fail("key block names another key")
    aes, prefix = AESGCM(data_key), base64.b64decode(header["noncePrefix"])
    pos, i, body, trailer = 12 + k + h, 0, [], None
    while trailer is None:
        if pos + 5 > len(data):
            fail("truncated (no trailer frame)")
        ftype, n = data[pos], struct.unpack(">I", data[pos + 1:pos + 5])[0]
        if ftype not in (0, 1) or n > header["frameSize"] + 64 or pos + 5 + n + 16 > len(data):
            fail(f"frame {i} malformed")
        aad = header_sha + struct.pack(">BII", ftype, i, n)
        try:
            plain = aes.decrypt(prefix + struct.pack(">I", i), data[pos + 5:pos + 5 + n + 16], aad)
        except Exception:
            fail(f"frame {i} failed authentication")
        pos += 5 + n + 16
        i += 1
        if ftype == 1:
            trailer = json.loads(plain)
        else:
            body.append(plain)
    if pos != len(data):
        fail("bytes after the trailer")
    original = b"".join(body)
    if header["compression"] == "gzip":
        original = gzip.decompress(original)
    digest = hashlib.sha256(original).hexdigest()
    if digest != trailer["sha256"] or len(original) != trailer["size"]:
        fail("SHA-256/size differ from the trailer")
    if out_path:
        open(out_path, "wb").write(original)
    print(f"OK {digest} {len(original)}")


main()
