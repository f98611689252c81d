using UsageSdk.Worker;

// A worker that keeps a year (or more) of Deepgram request logs: it syncs the archive every few minutes (see
// appsettings.json) and publishes the usage as OpenTelemetry metrics. Try it without a key: dotnet run -- --demo
await WorkerHost.CreateBuilder(args).Build().RunAsync();
