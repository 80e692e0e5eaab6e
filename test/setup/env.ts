// Dates in assertions and logs are compared in UTC whatever the machine's zone.
process.env.TZ = 'UTC';
