// Preloaded (node --require) into Azurite by the .NET launcher, AzuriteProcess in src/Compliance.Emulator/Azurite.
// The launcher keeps this process's stdin open for as long as it wants Azurite, so end-of-file means "stop": either the
// launcher is disposing it, or the launcher is gone (even killed) and Azurite must not outlive it.
"use strict";

let stopping = false;

function stop() {
  if (stopping) {
    return;
  }
  stopping = true;
  if (process.listenerCount("SIGINT") === 0) {
    // Still starting: there is nothing to save yet.
    process.exit(0);
  }
  // Azurite's own SIGINT handler closes the server and saves its data (with --location); the timer is the last resort.
  setTimeout(() => process.exit(0), 5000).unref();
  process.emit("SIGINT");
}

process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();
