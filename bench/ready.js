// The start-up clock of bench/run and bench/start: polls a readiness URL every millisecond, in-process (a curl per try
// costs milliseconds to start, too coarse where a native executable is measured, at about 100 ms).
//
//   node bench/ready.js URL PID DEADLINE_EPOCH_MS
//     bench/run's: waits for the first 200 and prints its wall-clock time in epoch milliseconds (bench/run subtracts
//     the time it started the gateway). Exit status 2: the process PID is gone; 3: the deadline passed.
//   node bench/ready.js --spawn URL LOG COMMAND [ARG...]
//     bench/start's: starts COMMAND itself (output to LOG), so that Node's own start-up is over before the clock
//     starts; on the first 200 prints "<ms from spawn to ready> <VmRSS kB then>", stops it with SIGTERM and waits for
//     it. Exit status 2: it exited first; 3: not ready within 120 s.
'use strict';
const http = require('http');
const fs = require('fs');
const { spawn } = require('child_process');

const now = () => performance.timeOrigin + performance.now();

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

// Calls onReady() at the first 200 from url; gone() is asked before each retry, late() too.
function poll(url, gone, late, onReady) {
  const retry = () => {
    if (gone()) process.exit(2);
    if (late()) process.exit(3);
    setTimeout(attempt, 1);
  };
  const attempt = () => {
    const req = http.get(url, { agent: false }, res => {
      res.resume();
      if (res.statusCode === 200) onReady();
      else retry();
    });
    req.setTimeout(1000, () => req.destroy());
    req.on('error', retry);
  };
  attempt();
}

if (process.argv[2] === '--spawn') {
  const [url, log, command, ...args] = process.argv.slice(3);
  const out = fs.openSync(log, 'w');
  let exited = false;
  const started = now();
  const child = spawn(command, args, { stdio: ['ignore', out, out] });
  child.on('exit', () => { exited = true; });
  poll(url, () => exited, () => now() - started > 120000, () => {
    const ms = now() - started;
    const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1];
    console.log(`${ms.toFixed(1)} ${rss}`);
    child.removeAllListeners('exit');
    child.on('exit', () => process.exit(0));
    child.kill('SIGTERM');
  });
} else {
  const [url, pid, deadline] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
  poll(url, () => !alive(pid), () => now() > deadline, () => {
    console.log(Math.round(now()));
    process.exit(0);
  });
}
