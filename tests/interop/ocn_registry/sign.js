// Signs the registry updates named on stdin the way the OCN registry's own client library does: the parameters
// hashed with web3-utils' soliditySha3 (numbers as uint256), the 32-byte hash signed with ethers' signMessage;
// and a node's message (kind node_message) as an OCN node signs it: the text itself as a signed message.
// Input: {"key": "0x...", "updates": [{"kind": "set_party", ...}]}; output: [{"hash", "signature", "address"}].
const { ethers } = require("ethers");
const { soliditySha3 } = require("web3-utils");

const hashers = {
  set_node: (u, address) => soliditySha3(address, u.domain),
  delete_node: (u, address) => soliditySha3(address),
  set_party: (u, address) => soliditySha3(address, u.country_code, u.party_id, ...u.roles, u.operator),
  set_party_modules: (u, address) => soliditySha3(address, ...u.sender, ...u.receiver),
  delete_party: (u, address) => soliditySha3(address),
  set_service: (u) => soliditySha3(...[u.name, u.url].filter(Boolean), ...u.permissions),
  create_agreement: (u) => soliditySha3(u.provider),
  revoke_agreement: (u) => soliditySha3(u.provider),
};

async function main() {
  const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const wallet = new ethers.Wallet(input.key);
  const out = [];
  for (const update of input.updates) {
    if (update.kind === "node_message") {  // a node's OCN-Signature: the message text itself, signed
      const signature = await wallet.signMessage(update.text);
      out.push({ hash: null, signature: signature.replace(/^0x/, ""), address: wallet.address });
      continue;
    }
    const hash = hashers[update.kind](update, wallet.address);
    const signature = await wallet.signMessage(ethers.utils.arrayify(hash));
    out.push({ hash, signature, address: wallet.address });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => { process.stderr.write(String(err && err.stack || err)); process.exit(1); });
