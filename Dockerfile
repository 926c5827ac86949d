# CharRnn Studio's container image.
#   docker build -t charrnn .                                 CPU (libtorch for the CPU)
#   docker build -t charrnn-cuda --build-arg TORCH_BACKEND=cuda .   NVIDIA GPUs (docker run --gpus all)
#   docker run -p 8080:8080 -v charrnn-data:/data charrnn
# Books, checkpoints, the database, the owner token and the sign-in keys all live in the /data volume.
# CI cannot run a container engine here: tests/CharRnn.Web.Tests/Api/Operations/ContainerSmokeTests.cs runs scripts/publish.sh as the
# build stage does and starts the result with this file's ENV and ENTRYPOINT.
ARG TORCH_BACKEND=cpu

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TORCH_BACKEND
WORKDIR /src
COPY . .
RUN bash scripts/publish.sh /app "$TORCH_BACKEND"

# CPU: the ASP.NET runtime image (Ubuntu 24.04, whose libstdc++ is new enough that the build's GLIBCXX patch, still
# applied, changes nothing), with the user "app" it defines.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime-cpu
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*

# CUDA: NVIDIA's CUDA runtime with cuDNN (what the CUDA libtorch links against), plus the ASP.NET runtime copied in.
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS runtime-cuda
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 1654 --create-home app
COPY --from=mcr.microsoft.com/dotnet/aspnet:10.0 /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet

FROM runtime-${TORCH_BACKEND} AS final
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /data && chown app /data
ENV ASPNETCORE_URLS=http://+:8080
ENV ASPNETCORE_ENVIRONMENT=Production
ENV CharRnn__DataDirectory=/data
VOLUME /data
EXPOSE 8080
USER app
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD curl -fsS http://127.0.0.1:8080/health >/dev/null || exit 1
ENTRYPOINT ["dotnet", "CharRnn.Web.dll"]
