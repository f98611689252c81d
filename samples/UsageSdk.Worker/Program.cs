using UsageSdk.Worker;

// A worker that keeps a year (or more) of Deepgram request logs: it syncs the archive every few minutes (see
// appsettings.json), publishes the usage as OpenTelemetry metrics, and with Dashboard:Enabled serves the usage page
// over the archive. Try it without a key: dotnet run -- --demo --Dashboard:Enabled=true
await WorkerHost.CreateBuilder(args).Build().RunAsync();
