#!/bin/busybox sh
# /sbin/init of the s6 test root: s6's stage 1, short. s6-svscan needs a writable scan directory and
# / may be read-only, so the service directories go to the /run tmpfs the stage-1 init left; then
# s6-svscan becomes PID 1 in this same process.
export PATH=/usr/bin:/bin
busybox cp -a /etc/s6 /run/service
exec s6-svscan /run/service
