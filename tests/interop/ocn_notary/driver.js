// roamcert's driver of the official OCN Notary package: JSON requests on stdin, JSON answers on stdout.
// A request is one object or a list of them (one Node start for many operations):
//   {"op": "sign", "values": {...}, "private_key": "0x..", "notary": "<OCN-Signature>", "stash": {path: previous}}
//       signs values; with "notary", first stashes the given previous values in that Notary (a node's rewrite)
//   {"op": "verify", "notary": "<OCN-Signature>", "values": {...}}  ->  {"valid": bool, "error": string|null}
//   {"op": "read", "notary": "<OCN-Signature>"}  ->  {"notary": the Notary as JSON}
"use strict"
const Notary = require("@shareandcharge/ocn-notary").default

async function run(request) {
    if (request.op === "sign") {
        const notary = request.notary ? await Notary.deserialize(request.notary) : new Notary()
        if (request.stash) {
            notary.stash(request.stash)
        }
        await notary.sign(request.values, request.private_key)
        return { notary: await notary.serialize(), json: JSON.parse(JSON.stringify(notary)) }
    }
    if (request.op === "verify") {
        const notary = await Notary.deserialize(request.notary)
        try {
            const result = notary.verify(request.values)
            return { valid: result.isValid, error: result.error === undefined ? null : result.error }
        } catch (error) {
            // The package throws, instead of answering "invalid", on some malformed signatures.
            return { valid: false, error: `threw: ${error.message}` }
        }
    }
    if (request.op === "read") {
        return { notary: JSON.parse(JSON.stringify(await Notary.deserialize(request.notary))) }
    }
    throw new Error(`unknown op ${JSON.stringify(request.op)}`)
}

async function main() {
    const chunks = []
    for await (const chunk of process.stdin) {
        chunks.push(chunk)
    }
    const input = JSON.parse(Buffer.concat(chunks).toString("utf-8"))
    const output = Array.isArray(input) ? await Promise.all(input.map(run)) : await run(input)
    process.stdout.write(JSON.stringify(output))
}

main().catch((error) => {
    process.stderr.write(`${error.stack || error}\n`)
    process.exit(1)
})
