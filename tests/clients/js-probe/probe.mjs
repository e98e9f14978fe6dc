// Lists the DaemonSets of a namespace and watches them from the list's version, as an informer does: on a 410 Expired
// it lists again, on a broken connection it watches again from the last version it saw. Prints one line per step
// (LIST a,b / EVENT ADDED a / EXPIRED / RETRY reason) until its standard input closes.
import * as k8s from '@kubernetes/client-node';

const [kubeconfig, namespace] = process.argv.slice(2);
const config = new k8s.KubeConfig();
config.loadFromFile(kubeconfig);
const apps = config.makeApiClient(k8s.AppsV1Api);
const watcher = new k8s.Watch(config);
let stopped = false;
let current;
process.stdin.on('end', () => { stopped = true; current?.abort(); process.exit(0); });
process.stdin.resume();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function list() {
  for (;;) {
    try {
      const result = await apps.listNamespacedDaemonSet({ namespace });
      console.log(`LIST ${result.items.map((d) => d.metadata.name).join(',')}`);
      return result.metadata.resourceVersion;
    } catch (err) {
      console.log(`RETRY list: ${err.code ?? err.name}`);
      await sleep(200);
    }
  }
}

let version = await list();
while (!stopped) {
  let expired = false;
  await new Promise((resolve) => {
    watcher.watch(`/apis/apps/v1/namespaces/${namespace}/daemonsets`, { resourceVersion: version, allowWatchBookmarks: true },
      (type, object) => {
        if (type === 'ERROR') {
          expired ||= object?.code === 410;
          return;
        }
        version = object.metadata.resourceVersion;
        if (type !== 'BOOKMARK') {
          console.log(`EVENT ${type} ${object.metadata.name}`);
        }
      },
      (err) => {
        if (err && !stopped) {
          console.log(`RETRY watch: ${err.code ?? err.name}`);
        }
        resolve();
      }).then((request) => { current = request; }, (err) => { console.log(`RETRY watch: ${err.code ?? err.name}`); resolve(); });
  });
  if (expired) {
    console.log('EXPIRED');
    version = await list();
  } else {
    await sleep(200);
  }
}
