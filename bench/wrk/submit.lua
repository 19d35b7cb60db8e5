-- The same online submission over and over: POST /api/v1/dossiers as a
-- signed-in citizen. BODY and TOKEN come from the environment.
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
