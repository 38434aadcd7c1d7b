using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Host.Tests.Support;

/// <summary>
/// Gives in-process requests a remote address (TestServer leaves it empty), as Kestrel would: loopback for a
/// person on the same machine, or another address for anyone else.
/// </summary>
public sealed class RemoteAddress(IPAddress address) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = address;
            return nextMiddleware();
        });
        next(app);
    };

    /// <summary>The host as reached from <paramref name="address"/>.</summary>
    public static WebApplicationFactory<Program> From(TestHost host, IPAddress address) =>
        host.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IStartupFilter>(new RemoteAddress(address))));
}
