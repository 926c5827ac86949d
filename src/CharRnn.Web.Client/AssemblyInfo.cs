// Everything here runs in the browser (the server only prerenders nothing and serves the files): say so to the
// platform analyzer, so the JavaScript interop it uses needs no guard.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("browser")]
