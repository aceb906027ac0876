// lib/'s door to the one process module (sandbox/process.ts): lib/sandbox may import sandbox/, the rest of lib/
// may not, so everything in lib/ that checks a pid or a port imports it from here.

export { alive, canBind, executableFile, firstTaken, HOST, killGroup, signalGroup, sleep, stopPid, tcpOpen, waitForExit } from '../../sandbox/process.js';
