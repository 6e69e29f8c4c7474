// Validates every object of the given YAML files against the Kubernetes schemas, offline (npm package
// kubernetes-models; no cluster needed), and checks pgstack's own rules: probes on the management port, a
// securityContext that runs non-root on a read-only root filesystem, requests and limits set.
//   node deploy/validate-manifests.cjs deploy/kubernetes.yaml deploy/migrate-job.yaml
// Run by deploy/container-test.sh, which installs the two packages in a temporary directory (NODE_PATH).
const fs = require("fs");
const yaml = require("js-yaml");

const failures = [];
const fail = (where, what) => failures.push(`${where}: ${what}`);

for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, "utf8"))) {
    if (!doc) continue;
    const where = `${file} ${doc.kind}/${doc.metadata && doc.metadata.name}`;
    let Model;
    try {
      // apps/v1/Deployment, batch/v1/Job, policy/v1/..., and the core group as v1/Service
      Model = require(`kubernetes-models/${doc.apiVersion}/${doc.kind}`)[doc.kind];
    } catch (e) {
      fail(where, `unknown apiVersion/kind ${doc.apiVersion} ${doc.kind}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (e) {
      fail(where, `schema: ${e.message}`);
      continue;
    }
    const pod = doc.kind === "Deployment" || doc.kind === "Job" ? doc.spec.template.spec : null;
    if (!pod) continue;
    if (!(pod.securityContext && pod.securityContext.runAsNonRoot)) fail(where, "runAsNonRoot is not set");
    for (const c of pod.containers) {
      const sc = c.securityContext || {};
      if (sc.readOnlyRootFilesystem !== true) fail(where, `${c.name}: root filesystem not read-only`);
      if (sc.allowPrivilegeEscalation !== false) fail(where, `${c.name}: privilege escalation allowed`);
      if (!(c.resources && c.resources.requests && c.resources.limits && c.resources.limits.memory)) {
        fail(where, `${c.name}: requests and a memory limit are required`);
      }
      if (doc.kind === "Deployment") {
        for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
          const p = c[probe];
          if (!p || !p.httpGet || p.httpGet.port !== "management") fail(where, `${probe} not on the management port`);
        }
      }
    }
  }
}
if (failures.length) {
  failures.forEach((f) => console.error(`FAIL: ${f}`));
  process.exit(1);
}
console.log(`ok: ${process.argv.slice(2).join(", ")} valid`);
