using UsageSdk.WebApp;

// An ASP.NET Core app that mounts the usage dashboard at /usage behind a login (cookie) and the "UsageViewers"
// authorization policy. Try it without a key: dotnet run --project samples/UsageSdk.WebApp -- --demo
// then open http://localhost:5000/usage and sign in with the password "demo".
await WebAppHost.Build(args).RunAsync();
